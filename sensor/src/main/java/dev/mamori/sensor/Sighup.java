package dev.mamori.sensor;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an action on SIGHUP, the signal operators send to make a daemon re-read its lists.
 *
 * <p>The JDK's only hook for it is {@code sun.misc.Signal} (module jdk.unsupported). It is reached
 * reflectively here, in this one place, because javac's "internal proprietary API" warning for a
 * direct reference cannot be suppressed in Java 17 and the build treats warnings as errors. Where
 * the class is missing (another JVM), SIGHUP is simply not handled and that is logged.
 */
final class Sighup {

    private static final Logger log = LoggerFactory.getLogger(Sighup.class);

    private Sighup() {}

    static boolean install(Runnable action) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            Constructor<?> make = signal.getConstructor(String.class);
            Method handle = signal.getMethod("handle", signal, handler);
            Object proxy = Proxy.newProxyInstance(
                    Sighup.class.getClassLoader(), new Class<?>[] {handler}, (p, method, args) -> {
                        if (method.getName().equals("handle")) {
                            action.run();
                        }
                        return null;
                    });
            handle.invoke(null, make.newInstance("HUP"), proxy);
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("SIGHUP cannot be handled on this JVM ({}); use POST /api/reload", e.toString());
            return false;
        }
    }
}
