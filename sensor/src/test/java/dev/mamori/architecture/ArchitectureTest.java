package dev.mamori.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.mamori.detectors.registry.Rules;
import dev.mamori.detectors.rule.Detection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The module and package rules of DESIGN.md, checked on the compiled classes of all three modules
 * (production code only).
 */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.mamori");

    @Test
    void theClassesOfAllThreeModulesAreChecked() {
        assertThat(CLASSES.stream().filter(c -> c.getPackageName().equals("dev.mamori.protocols.icap")))
                .isNotEmpty();
        assertThat(CLASSES.stream().filter(c -> c.getPackageName().equals("dev.mamori.detectors.windows")))
                .isNotEmpty();
        assertThat(CLASSES.stream().filter(c -> c.getPackageName().equals("dev.mamori.sensor.ingest")))
                .isNotEmpty();
    }

    @Test
    void protocolsAndDetectorsNeverDependOnEachOther() {
        noClasses()
                .that()
                .resideInAPackage("dev.mamori.protocols..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.mamori.detectors..", "dev.mamori.sensor..")
                .check(CLASSES);
        noClasses()
                .that()
                .resideInAPackage("dev.mamori.detectors..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.mamori.protocols..", "dev.mamori.sensor..")
                .check(CLASSES);
    }

    @Test
    void detectorsIsPlainJavaWithoutNetty() {
        noClasses()
                .that()
                .resideInAPackage("dev.mamori.detectors..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.netty..")
                .check(CLASSES);
    }

    @Test
    void theSensorNamesNoIndividualRule() {
        DescribedPredicate<JavaClass> ruleClass = new DescribedPredicate<>("a rule's detection class") {
            @Override
            public boolean test(JavaClass c) {
                return c.isAssignableTo(Detection.class) && !c.isInterface();
            }
        };
        noClasses()
                .that()
                .resideInAPackage("dev.mamori.sensor..")
                .should()
                .dependOnClassesThat(ruleClass)
                .because("the sensor builds rules from registry.Rules; what a rule can do it reads off the rule")
                .check(CLASSES);
    }

    @Test
    void theSensorsSourcesSpellNoRuleId() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src", "main"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(f);
                for (String id : Rules.ids()) {
                    if (text.contains("\"" + id + "\"")) {
                        found.add(f + ": " + id);
                    }
                }
            }
        }
        assertThat(found).as("rule ids written in sensor/src/main").isEmpty();
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.mamori.(*).(*)..").should().beFreeOfCycles().check(CLASSES);
        slices().matching("dev.mamori.(*)").should().beFreeOfCycles().check(CLASSES);
    }
}
