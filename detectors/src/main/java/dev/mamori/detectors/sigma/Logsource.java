package dev.mamori.detectors.sigma;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where a rule's {@code logsource} points in Mamori's events, as DESIGN.md says: a Windows
 * {@code service} is a channel; a Windows {@code category} is the Sysmon event ids that carry it
 * (process creation also from Security 4688, its fields renamed as Sigma's Windows pipelines do);
 * {@code category: proxy} and {@code firewall} are proxy and firewall events.
 *
 * @param kind which events: windows, proxy or firewall
 * @param routes for Windows, the channels and event ids (empty: any id) the rule reads
 */
record Logsource(String kind, List<Route> routes) {

    /** A channel (lower case) and the event ids on it; {@code security4688} renames its fields. */
    record Route(String channel, Set<Integer> eventIds, boolean security4688) {}

    static final String SYSMON = "microsoft-windows-sysmon/operational";

    private static final Map<String, String> SERVICES = new HashMap<>();
    private static final Map<String, Set<Integer>> SYSMON_CATEGORIES = new HashMap<>();

    static {
        String[][] services = {
            {"security", "Security"},
            {"system", "System"},
            {"application", "Application"},
            {"sysmon", "Microsoft-Windows-Sysmon/Operational"},
            {"powershell", "Microsoft-Windows-PowerShell/Operational"},
            {"powershell-classic", "Windows PowerShell"},
            {"taskscheduler", "Microsoft-Windows-TaskScheduler/Operational"},
            {"wmi", "Microsoft-Windows-WMI-Activity/Operational"},
            {"dns-server", "DNS Server"},
            {"dns-server-analytic", "Microsoft-Windows-DNS-Server/Analytical"},
            {"driver-framework", "Microsoft-Windows-DriverFrameworks-UserMode/Operational"},
            {"firewall-as", "Microsoft-Windows-Windows Firewall With Advanced Security/Firewall"},
            {"bits-client", "Microsoft-Windows-Bits-Client/Operational"},
            {"codeintegrity-operational", "Microsoft-Windows-CodeIntegrity/Operational"},
            {"windefend", "Microsoft-Windows-Windows Defender/Operational"},
            {"ntlm", "Microsoft-Windows-NTLM/Operational"},
            {"smbclient-security", "Microsoft-Windows-SmbClient/Security"},
            {"smbclient-connectivity", "Microsoft-Windows-SmbClient/Connectivity"},
            {
                "terminalservices-localsessionmanager",
                "Microsoft-Windows-TerminalServices-LocalSessionManager/Operational"
            },
            {"printservice-admin", "Microsoft-Windows-PrintService/Admin"},
            {"printservice-operational", "Microsoft-Windows-PrintService/Operational"},
            {"msexchange-management", "MSExchange Management"},
            {"ldap", "Microsoft-Windows-LDAP-Client/Debug"},
            {"openssh", "OpenSSH/Operational"},
            {"diagnosis-scripted", "Microsoft-Windows-Diagnosis-Scripted/Operational"},
            {"shell-core", "Microsoft-Windows-Shell-Core/Operational"},
            {"capi2", "Microsoft-Windows-CAPI2/Operational"},
            {
                "certificateservicesclient-lifecycle-system",
                "Microsoft-Windows-CertificateServicesClient-Lifecycle-System/Operational"
            },
            {"appxdeployment-server", "Microsoft-Windows-AppXDeploymentServer/Operational"},
            {"appxpackaging-om", "Microsoft-Windows-AppxPackaging/Operational"},
            {"appmodel-runtime", "Microsoft-Windows-AppModel-Runtime/Admin"},
            {"dhcp", "Microsoft-Windows-DHCP-Server/Operational"},
            {"vhdmp", "Microsoft-Windows-VHDMP/Operational"},
            {"lsa-server", "Microsoft-Windows-LSA/Operational"},
            {"security-mitigations", "Microsoft-Windows-Security-Mitigations/KernelMode"},
            {"iis-configuration", "Microsoft-IIS-Configuration/Operational"},
            {"kernel-shimengine", "Microsoft-Windows-Kernel-ShimEngine/Operational"},
            {"ntfs", "Microsoft-Windows-Ntfs/Operational"},
            {"hyper-v-worker", "Microsoft-Windows-Hyper-V-Worker-Admin"},
            {"application-experience", "Microsoft-Windows-Application-Experience/Program-Telemetry"},
            {"microsoft-servicebus-client", "Microsoft-ServiceBus-Client"},
            {"sysmon-operational", "Microsoft-Windows-Sysmon/Operational"},
            {"bitlocker", "Microsoft-Windows-BitLocker/BitLocker Management"},
            {"wmi-activity", "Microsoft-Windows-WMI-Activity/Operational"},
            {"tscm", "Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational"},
            {"rdp", "Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational"},
        };
        for (String[] s : services) {
            SERVICES.put(s[0], s[1].toLowerCase(Locale.ROOT));
        }
        Object[][] categories = {
            {"process_creation", Set.of(1)},
            {"network_connection", Set.of(3)},
            {"sysmon_status", Set.of(4, 16)},
            {"process_termination", Set.of(5)},
            {"driver_load", Set.of(6)},
            {"image_load", Set.of(7)},
            {"create_remote_thread", Set.of(8)},
            {"raw_access_thread", Set.of(9)},
            {"process_access", Set.of(10)},
            {"file_event", Set.of(11)},
            {"registry_add", Set.of(12)},
            {"registry_delete", Set.of(12)},
            {"registry_set", Set.of(13)},
            {"registry_rename", Set.of(14)},
            {"registry_event", Set.of(12, 13, 14)},
            {"create_stream_hash", Set.of(15)},
            {"pipe_created", Set.of(17, 18)},
            {"wmi_event", Set.of(19, 20, 21)},
            {"dns_query", Set.of(22)},
            {"file_delete", Set.of(23, 26)},
            {"file_delete_detected", Set.of(26)},
            {"clipboard_capture", Set.of(24)},
            {"process_tampering", Set.of(25)},
            {"file_block_executable", Set.of(27)},
            {"file_block_shredding", Set.of(28)},
            {"file_executable_detected", Set.of(29)},
            {"sysmon_error", Set.of(255)},
        };
        for (Object[] c : categories) {
            @SuppressWarnings("unchecked")
            Set<Integer> ids = (Set<Integer>) c[1];
            SYSMON_CATEGORIES.put((String) c[0], ids);
        }
    }

    static Logsource of(String product, String category, String service) throws SigmaException {
        String p = lower(product);
        String c = lower(category);
        String s = lower(service);
        if (p == null && "proxy".equals(c)) {
            return new Logsource("proxy", List.of());
        }
        if (p == null && "firewall".equals(c)) {
            return new Logsource("firewall", List.of());
        }
        if (!"windows".equals(p)) {
            throw new SigmaException("logsource " + describe(product, category, service)
                    + ": not a source Mamori reads (Windows events, proxy, firewall)");
        }
        if (s != null) {
            String channel = SERVICES.get(s);
            if (channel == null) {
                throw new SigmaException("logsource service '" + service + "': no Windows channel known for it");
            }
            return new Logsource("windows", List.of(new Route(channel, Set.of(), false)));
        }
        if (c == null) {
            throw new SigmaException("logsource product windows without a service or category");
        }
        switch (c) {
            case "ps_script" -> {
                return windows("microsoft-windows-powershell/operational", 4104);
            }
            case "ps_module" -> {
                return windows("microsoft-windows-powershell/operational", 4103);
            }
            case "ps_classic_start" -> {
                return windows("windows powershell", 400);
            }
            case "ps_classic_provider_start" -> {
                return windows("windows powershell", 600);
            }
            case "ps_classic_script" -> {
                return windows("windows powershell", 800);
            }
            default -> {
                // Sysmon categories below
            }
        }
        Set<Integer> ids = SYSMON_CATEGORIES.get(c);
        if (ids == null) {
            throw new SigmaException("logsource category '" + category + "': not routed to Windows events");
        }
        if (c.equals("process_creation")) {
            return new Logsource(
                    "windows", List.of(new Route(SYSMON, ids, false), new Route("security", Set.of(4688), true)));
        }
        return new Logsource("windows", List.of(new Route(SYSMON, ids, false)));
    }

    private static Logsource windows(String channel, int id) {
        return new Logsource("windows", List.of(new Route(channel, Set.of(id), false)));
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    private static String describe(String product, String category, String service) {
        StringBuilder b = new StringBuilder();
        if (product != null) {
            b.append("product ").append(product);
        }
        if (category != null) {
            b.append(b.length() > 0 ? ", " : "").append("category ").append(category);
        }
        if (service != null) {
            b.append(b.length() > 0 ? ", " : "").append("service ").append(service);
        }
        return b.length() == 0 ? "(empty)" : b.toString();
    }
}
