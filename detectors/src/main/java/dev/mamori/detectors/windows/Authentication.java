package dev.mamori.detectors.windows;

import java.util.Set;

/**
 * The authentication events the AD detections count, read the same way: which account, from which
 * address and workstation, and whether it succeeded. 4624/4625 logons, 4768 TGT requests, 4769
 * service tickets, 4771 pre-authentication failures, 4776 NTLM credential validation.
 *
 * @param account normalised (lower case, no domain or realm)
 * @param unknownAccount the domain does not know the name (Kerberos 0x6, NTLM and logon 0xC0000064)
 */
public record Authentication(
        int eventId,
        String account,
        String rawAccount,
        String address,
        String workstation,
        boolean success,
        long status,
        boolean unknownAccount) {

    /** Kerberos KDC_ERR_C_PRINCIPAL_UNKNOWN. */
    private static final long KERBEROS_UNKNOWN_PRINCIPAL = 0x6L;
    /** STATUS_NO_SUCH_USER, in 4776's Status and 4625's SubStatus. */
    private static final long NO_SUCH_USER = 0xC0000064L;

    /** Kerberos result codes that are no user's failure: ticket expired, clock skew. */
    private static final Set<Long> NOT_USER_FAILURES = Set.of(0x20L, 0x25L);

    /** The authentication an event records, or null for other events. */
    public static Authentication of(WindowsEvent e) {
        int id = e.eventId();
        if (id != 4624 && id != 4625 && id != 4768 && id != 4769 && id != 4771 && id != 4776) {
            return null;
        }
        String raw = e.field("TargetUserName");
        String account = Accounts.normalise(raw);
        if (account == null) {
            return null;
        }
        long status = e.number("Status");
        boolean success = switch (id) {
            case 4624 -> true;
            case 4625, 4771 -> false;
            default -> status == 0;
        };
        String workstation = id == 4776 ? e.field("Workstation") : e.field("WorkstationName");
        boolean unknown = !success
                && ((id == 4768 || id == 4771) && status == KERBEROS_UNKNOWN_PRINCIPAL
                        || status == NO_SUCH_USER
                        || e.number("SubStatus") == NO_SUCH_USER);
        return new Authentication(
                id, account, raw, Accounts.address(e.field("IpAddress")), workstation, success, status, unknown);
    }

    /** A failure that points at the user (wrong password, unknown account), not at clocks or tickets. */
    public boolean userFailure() {
        return !success && !NOT_USER_FAILURES.contains(status);
    }

    /** Where it came from: the address, else the workstation name. */
    public String origin() {
        return address != null && !address.equals("::1") && !address.equals("127.0.0.1")
                ? address
                : workstation != null ? workstation : address;
    }
}
