@echo off
rem Audit policy the ad.* rules of Mamori need, for domain controllers and member servers.
rem Run as administrator, or set the same subcategories in a GPO (Computer Configuration > Policies >
rem Windows Settings > Security Settings > Advanced Audit Policy Configuration). Each line names the
rem events it turns on and the rules that are blind without it.

rem 4768 (TGT), 4771 (pre-authentication failed): ad.auth_failure_burst, ad.unexpected_account_host,
rem ad.off_hours_auth, ad.new_account_host, ad.auth_spike
auditpol /set /subcategory:"Kerberos Authentication Service" /success:enable /failure:enable
rem 4769 (service ticket): ad.ms14_068, ad.unexpected_account_host, ad.new_account_host, ad.auth_spike
auditpol /set /subcategory:"Kerberos Service Ticket Operations" /success:enable /failure:enable
rem 4776 (NTLM credential validation): ad.auth_failure_burst, ad.off_hours_auth, ad.new_account_host
auditpol /set /subcategory:"Credential Validation" /success:enable /failure:enable
rem 4624, 4625 (logon), 4634 (logoff): ad.forged_ticket, ad.off_hours_auth, ad.unexpected_account_host,
rem ad.new_account_host, ad.auth_failure_burst, ad.auth_spike
auditpol /set /subcategory:"Logon" /success:enable /failure:enable
auditpol /set /subcategory:"Logoff" /success:enable
rem 4672 (special privileges assigned): ad.unexpected_privilege, ad.forged_ticket
auditpol /set /subcategory:"Special Logon" /success:enable
rem 4698 (scheduled task created): ad.scheduled_task
auditpol /set /subcategory:"Other Object Access Events" /success:enable
rem 4720 (user account created): ad.account_created
auditpol /set /subcategory:"User Account Management" /success:enable
rem 4728, 4732, 4756 (member added to a security group): ad.privileged_group_change
auditpol /set /subcategory:"Security Group Management" /success:enable
rem 106 (task registered) in the Task Scheduler operational log, which is off by default: ad.scheduled_task
wevtutil sl Microsoft-Windows-TaskScheduler/Operational /e:true
rem 1102 (Security log cleared) and 104 (another log cleared, System log) are always written:
rem ad.log_cleared needs no setting, only that the forwarder reads the Security and System logs.
auditpol /get /category:"Logon/Logoff","Account Logon","Account Management","Object Access"
