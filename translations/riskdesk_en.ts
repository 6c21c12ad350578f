<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>AttachmentError</name>
    <message>
        <source>The attachment&apos;s address is not an http or https address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server did not answer in time (connection timeout).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The download stalled: no data arrived for too long (transfer timeout).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The attachment is larger than the size limit, so it was not downloaded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server redirected to a less secure address; the redirect was refused.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server redirected too many times.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The secure connection failed (TLS); the certificate was not trusted and nothing was downloaded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server refused the request (HTTP %1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The network failed while fetching the attachment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The download was cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The attachment is not in this workspace and could not be fetched.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The workspace could not read or keep the attachment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(%1 → %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(%1 bytes; the limit is %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(more than %1 bytes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(%1 s)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Riskdesk: risk exceptions, boards and audit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The workspace file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language: en or zh_CN (default: the system&apos;s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in as this user.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Work in this tenant.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Render the main window to this PNG file and exit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync with this server (default: $RISKDESK_URL, or the one set in File → Backend…).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no display (DISPLAY and WAYLAND_DISPLAY are not set), and the window needs one. Run a command instead (see riskdesk --help), or draw the window offscreen with --screenshot FILE.png.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::ApprovalLogCsv</name>
    <message>
        <source>Line %1: a quoted field is never closed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The file is not UTF-8 text.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Line 1: this is not a Riskdesk approval-log export (its first line must be: %1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Line %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected %1 fields, found %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>seq &quot;%1&quot; is not a whole number of 1 or more.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>step &quot;%1&quot; is not a whole number of 0 or more.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at &quot;%1&quot; is not a UTC time with milliseconds.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>field %1 is not escaped as the format says.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>prev_hash and hash must be 64 lowercase hexadecimal digits.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Line %1, %2 entry %3: %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>its content does not match its hash; it was changed after it was logged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the first entry must follow the genesis hash.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it comes after entry %1; entries must be in ascending order.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it does not link to entry %1 before it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>All %n entries are intact, each linked to the one before from the first entry on.</source>
        <translation>
            <numerusform>The %n entry is intact, each linked to the one before from the first entry on.</numerusform>
            <numerusform>All %n entries are intact, each linked to the one before from the first entry on.</numerusform>
        </translation>
    </message>
    <message>
        <source>, not from the first entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 up to entry %2 (%3…)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The file covers %1; whether entries after those were left out can only be told by comparing the last hash with the head that log verify reports for the workspace.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a %1 line must be: %1,&lt;tenant&gt;,&lt;last entry&gt;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a second %1 line for %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an entry after the %1 lines, which end the file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it holds none of its entries.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it starts at entry %1: entries 1 to %2 are missing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>entry %1 is missing (between entries %2 and %3).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>entries %1 to %2 are missing (between entries %3 and %4).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>its last entry is %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Line %1: the file says it holds the whole log of %2 up to entry %3, but %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n gap(s)</source>
        <translation>
            <numerusform>%n gap</numerusform>
            <numerusform>%n gaps</numerusform>
        </translation>
    </message>
    <message>
        <source>It is marked as the whole log and holds every entry up to the one marked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>All %n entries are intact; %1. The file is a selection (%2%3), so entries outside it cannot be vouched for.</source>
        <translation>
            <numerusform>The %n entry is intact; %1. The file is a selection (%2%3), so entries outside it cannot be vouched for.</numerusform>
            <numerusform>All %n entries are intact; %1. The file is a selection (%2%3), so entries outside it cannot be vouched for.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n link(s) checked</source>
        <translation>
            <numerusform>%n link checked</numerusform>
            <numerusform>%n links checked</numerusform>
        </translation>
    </message>
    <message>
        <source>It is not marked as the whole log (an export of every entry ends with a %1 line), so it may end early: it was exported with filters, or cut short.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it starts at entry 2: entry 1 is missing.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::ApprovalLogModel</name>
    <message>
        <source>Hash %1
Previous %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>#</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exception</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>By</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status after</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1

As stored: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server login</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server recorded this decision as the login that sent it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Identity</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::ApprovalLogPage</name>
    <message>
        <source>Tenant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approver filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All actions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Verify chain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Export CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approval log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export approval log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not read the log: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verifying the approval log of %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✔ Chain intact. %1 Head: entry %2, %3…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✘ Chain BROKEN at entry %1. %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exporting to %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported to %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The chain is verified when you open this page, or with Verify chain.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verify on &amp;server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server&apos;s chain is verified with this desktop&apos;s, or with Verify on server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verifying the server&apos;s approval log of %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✔ Server chain intact. %1 Head: entry %2, %3…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✘ Server chain BROKEN at entry %1. %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Which log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This desktop&apos;s log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server&apos;s log (as of the last sync)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This desktop&apos;s log holds the decisions made here. The server&apos;s log holds every desktop&apos;s decisions, in the server&apos;s own chain, copied at each sync.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approver name or id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any part of an approver&apos;s name or user id, e.g. &quot;li&quot; finds li.wei</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter or double-click opens the entry&apos;s exception in the review queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No entry matches these filters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The approval log of %1 has no entries yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n matching entr(y/ies)</source>
        <translation>
            <numerusform>%n matching entry</numerusform>
            <numerusform>%n matching entries</numerusform>
        </translation>
    </message>
    <message>
        <source>From %1 is after To %2, so no entry can match: change one of the dates.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checked at %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No entry matches these filters, so there is nothing to export.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported to %1, but the approval log it comes from could not be checked: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported to %1, but the approval log of %2 is broken at entry %3: %4 The file holds the entries as they are stored and is not marked as the whole log; Verify chain shows the details.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::ApprovalLogRepository</name>
    <message>
        <source>Reading the head of the approval log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Appending to the approval log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the approval log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entry %1 is missing: the log jumps from entry %2 to entry %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entry %1 does not link to entry %2: an entry was removed, inserted or moved here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>All %n entries are intact.</source>
        <translation>
            <numerusform>The %n entry is intact.</numerusform>
            <numerusform>All %n entries are intact.</numerusform>
        </translation>
    </message>
    <message>
        <source>Writing the export failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server&apos;s log is copied by sync and never appended to here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counting the approval log&apos;s entries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entry %1 (%2&apos;s decision on %3: %4) was altered after it was written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The log was rewritten at or before entry %1: every entry links and matches its hash, but entry %1 is not the one this desktop verified before, so an entry up to it was changed and the hashes after it computed again. Which one cannot be told from the log itself: compare it with a copy verified earlier.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No entry of the approval log matches these filters, so nothing was exported.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comparing the exceptions with the approval log</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n exception(s) show a decision the log has no entry for (the first: %1, %2): entries were removed from the log, or the exceptions altered.</source>
        <translation>
            <numerusform>%n exception shows a decision the log has no entry for (%1, %2): entries were removed from the log, or the exception altered.</numerusform>
            <numerusform>%n exceptions show a decision the log has no entry for (the first: %1, %2): entries were removed from the log, or the exceptions altered.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n exception(s) do not have the status their last entry in the log gives them (the first: %1 is %2, its last entry says %3): the exceptions were altered, or entries removed from the log.</source>
        <translation>
            <numerusform>%n exception does not have the status its last entry in the log gives it (%1 is %2, its last entry says %3): the exception was altered, or entries removed from the log.</numerusform>
            <numerusform>%n exceptions do not have the status their last entry in the log gives them (the first: %1 is %2, its last entry says %3): the exceptions were altered, or entries removed from the log.</numerusform>
        </translation>
    </message>
    <message>
        <source>Entry %1 follows entry %2: entries are repeated or out of order.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entry 1 is missing: the log starts at entry 2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entries 1 to %1 are missing: the log starts at entry %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entries %1 to %2 are missing: the log jumps from entry %3 to entry %4.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The log ends at entry %1, but this desktop verified it up to entry %2 before: entries were removed from the end, or from anywhere before it with the rest renumbered and their hashes computed again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::AssessmentPolicy</name>
    <message>
        <source>%1 must be a number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 must be a non-empty string.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 must be a list.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>levels.%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 must be an amount from 0 to %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 must be a whole number of points from 0 to %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 must be a whole number from %2 to %3.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::AssessmentRequest</name>
    <message>
        <source>%1 is missing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 must be a string.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 must be an object.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>transaction_amount is missing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>transaction_amount must be a number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>transaction_amount must be greater than 0, not %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>timestamp must be an ISO-8601 time, e.g. 2026-11-23T09:30:00Z.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>transaction_amount must be a finite number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>transaction_amount must be at most %1, not %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 contains a NUL character (U+0000), which cannot be stored.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 must have 1 to 128 characters, none of them spaces, control characters or invisible marks.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>transaction_amount must be at least %1 (one cent), not %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>timestamp must be from %1 to %2 (UTC), not %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 must be a string, not null.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 and %2 are missing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>transaction_amount must be a number, not null.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>transaction_amount has a fraction of a cent (%1); amounts are kept in cents, at most two decimals.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>payment_method is empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>timestamp: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::AssessmentStore</name>
    <message>
        <source>Reading the assessment log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the velocity ledger</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the blacklist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving the blacklist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the tenant&apos;s policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving the tenant&apos;s policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Logging assessment %1 failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::AssessmentText</name>
    <message>
        <source>Transaction amount too high</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transaction amount high</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Daily transaction count over the limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Daily transaction amount over the limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hourly transaction rate too high</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User or merchant is on the blacklist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device identifier missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Emulator detected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device is rooted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Location information missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transaction from a high-risk region</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Manual review recommended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stronger identity verification recommended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review manually</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Limit transactions for today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Freeze the account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delay processing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reject the transaction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Require device authentication</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Strengthen verification</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Obtain location information</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>high</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>medium</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>low</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>minimal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>approve with monitoring</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>approve</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::AssignmentRules</name>
    <message>
        <source>assigned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>claimed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>released</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>escalated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is already %2; only pending exceptions are assigned.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not assigned to anyone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is assigned to %2; only they or a lead can release it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Say who %1 goes to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not an approver of this tenant.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a lead of this tenant.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is still within its SLA; only overdue exceptions are escalated.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 applied for %2; another approver must decide it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 already acted on %2; the next step needs another approver.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is already assigned to %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%2 is routed to %1, who alone can decide it now, so it cannot go to anyone else.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 takes part here as %2; only approvers assign exceptions.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::AssignmentService</name>
    <message>
        <source>Reading the assignment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the assignment history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the leads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the SLA policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Storing the assignment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Logging the assignment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the approvers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the assignments</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::AssignmentSync</name>
    <message>
        <source>Storing the leads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Taking the server&apos;s assignment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the assignments to send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recording the server&apos;s answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the server did not take the assignment: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the assignment cursor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copying the server&apos;s assignments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keeping the assignment cursor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Storing the SLA policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the SLA policy</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::AttachmentBlobSync</name>
    <message>
        <source>Reading the attachments of the requests to push</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The attachment %1 of a request to push is missing from this workspace.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The attachment %1 kept in this workspace does not match its hash.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server stored the attachment %1 under another hash.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the attachments this workspace lacks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server&apos;s copy of the attachment %1 does not match its hash.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the requests whose files this workspace has not listed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server names a file of %1 by a malformed hash.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: waits; the server takes no more of its files for now (%2). Requests sent meanwhile make room, and the next sync tries again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::AttachmentCache</name>
    <message>
        <source>Reading a kept attachment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keeping an attachment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removing an attachment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Making room in the attachment cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Measuring the attachment cache</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::AttachmentIntake</name>
    <message>
        <source>%1: there is no such file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is %2; attachments may be at most %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 cannot be read: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is a folder; attach the files in it instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a kind of file Riskdesk recognises (nor text); attachments may be images, PDF, text or CSV.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is of the kind &quot;%2&quot;; attachments may be images, PDF, text or CSV.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::AttachmentView</name>
    <message>
        <source>Fetching… %p%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Actual size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open with…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a copy in the application the system uses for this type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1
Type: %2
Size: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no name)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %2 · %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · kept in this workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SHA-256 %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not write a copy to %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No application is set up to open %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>−</source>
        <comment>zoom out</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom out (Ctrl+wheel)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>+</source>
        <comment>zoom in</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom in (Ctrl+wheel)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1:1</source>
        <comment>actual size</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>‹</source>
        <comment>previous page</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>›</source>
        <comment>next page</comment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::BackendLogin</name>
    <message>
        <source>The server refused the password for the login &quot;%1&quot;. Check the password (it is case-sensitive) and sign in again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server asks for the password of the login &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed in as &quot;%1&quot;, but its memberships could not be read: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server gives the login &quot;%1&quot; the role &quot;%2&quot; in %3, which this version does not know.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The login &quot;%1&quot; is not a member of any tenant on this server. An administrator adds it with: riskdesk db add-user</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::BackendSignIn</name>
    <message>
        <source>no answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signing in to the backend needs the password of the login; give it in the URL or sign in once with the window.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The password kept in this desktop&apos;s keychain was refused; it has been removed. Type the current one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The password could not be kept in the keychain (%1); it will be asked for at the next sign-in.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::BackendSignInDialog</name>
    <message>
        <source>Sign in to the backend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This workspace works with the backend at %1. You sign in as your backend login: your decisions are made, and checked by the server, as that login.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Login</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Login:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Keep the password in this desktop&apos;s keychain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No keychain service is running (%1): the password is not kept, and is asked for at every sign-in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type your backend login.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type the password of the login &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking the password with the server…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::BatchedInsert</name>
    <message>
        <source>A block of rows does not match the table&apos;s columns.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::Blacklist</name>
    <message>
        <source>Line %1 of the blacklist must be &quot;user,ID&quot; or &quot;merchant,ID&quot;, not &quot;%2&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardCache</name>
    <message>
        <source>Reading the data&apos;s watermark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keeping a board result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading a kept board result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dropping a stale board result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dropping a site&apos;s kept board results</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dropping a tenant&apos;s kept board results</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardChart</name>
    <message>
        <source>%1: %2 (%3)</source>
        <comment>donut slice: category, value, share</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2:00: %3</source>
        <comment>heat map cell: weekday, hour, value</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %2: %3</source>
        <comment>chart point: series, category, value</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Line chart with the previous period dashed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Line chart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bar chart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stacked bar chart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Donut chart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Heat map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sparkline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No data.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 rows by %2 columns.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n categories</source>
        <translation>
            <numerusform>%n category</numerusform>
            <numerusform>%n categories</numerusform>
        </translation>
    </message>
    <message>
        <source>Series: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Highest: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lowest: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Total: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous period total: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Share</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardChartCatalog</name>
    <message>
        <source>Accrued revenue: this period against the previous</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service income per coach</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardChartPainter</name>
    <message>
        <source>No data</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardChartView</name>
    <message>
        <source>View as table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the chart&apos;s figures as a table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>View as chart</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardCommand</name>
    <message>
        <source>Loads board data from the CSV files of a directory (one per view), all or nothing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The workspace to load into.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server to load into, as its owner (loader) role.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The tenant the data belong to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The directory of CSV files (see board export-template).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give exactly one of --workspace PATH and --url OWNER_URL.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--tenant T and --dir DIR are required.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no directory %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--workspace PATH must name an existing workspace.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) from %1 file(s) loaded as version %2 in %3 s.</source>
        <translation>
            <numerusform>%n row from %1 file loaded as version %2 in %3 s.</numerusform>
            <numerusform>%n rows from %1 files loaded as version %2 in %3 s.</numerusform>
        </translation>
    </message>
    <message>
        <source>Writes the header-only CSV file of every board view, to fill and load.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The directory to write (made if missing).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--dir DIR is required.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n template file(s) written to %1.</source>
        <translation>
            <numerusform>%n template file written to %1.</numerusform>
            <numerusform>%n template files written to %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>Re-reads the board data synced into a workspace and compares every partition with the row count and checksum it was pulled with; a damaged one is pulled again at the next sync.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The workspace to verify.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Damaged: %1: %2 rows expected, %3 found; checksum %4 expected, %5 found.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n damaged partition(s): the next sync pulls them again.</source>
        <translation>
            <numerusform>%n damaged partition: the next sync pulls it again.</numerusform>
            <numerusform>%n damaged partitions: the next sync pulls them again.</numerusform>
        </translation>
    </message>
    <message>
        <source>Every synced board partition matches its checksum.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Summary differs from the service logs: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The service-log summaries match the service logs.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardCsvReader</name>
    <message>
        <source>%1 is not UTF-8 text.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 contains a NUL character.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, line %2, column %3: %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>text after a closing quote (a quote inside a quoted field is written &quot;&quot;).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a quote inside an unquoted field (quote the whole field).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a quoted field is never closed.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardDrillKey</name>
    <message>
        <source>A share, rate or change is computed from other figures: open those figures instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A percentile, maximum or mean is one value, not a sum of rows.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is a setting, not a figure computed from rows.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Index scores, snapshot figures and member counts have no rows to list.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The board lists no rows for this figure; open the row&apos;s total or the period&apos;s figure instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n exception(s))</source>
        <translation>
            <numerusform>%1 (%n exception)</numerusform>
            <numerusform>%1 (%n exceptions)</numerusform>
        </translation>
    </message>
    <message>
        <source>This column is not totalled: open a coach&apos;s cell instead.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardDrillModel</name>
    <message>
        <source>Voided row: listed because voided rows are shown; never counted in the sums</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardDrillPanel</name>
    <message>
        <source>Unknown board.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Return to the previous drill-down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close the drill-down (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every row of this drill-down as CSV (UTF-8 with BOM, opens in Excel)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This list has a fixed order; it cannot be sorted by this column.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading the rows…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The drill-down returned no table.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n row(s)</source>
        <translation>
            <numerusform>%n row</numerusform>
            <numerusform>%n rows</numerusform>
        </translation>
    </message>
    <message>
        <source>Page %1 of %2 · %3 rows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The rows could not be read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to export: no drill-down is open.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Exported %n row(s) to %1.</source>
        <translation>
            <numerusform>Exported %n row to %1.</numerusform>
            <numerusform>Exported %n rows to %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>Export the drill-down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show voided rows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Also list the voided service-log rows, greyed out. They are never counted: the footer stays the clicked figure.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardExportSet</name>
    <message>
        <source>Board</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Site</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All sites of the tenant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>As of</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>workspace owner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skill</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tiers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coach</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trend granularity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sort</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Severity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approver</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drill-down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data loaded through</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>live: the workspace at the export time</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardExportWriter</name>
    <message>
        <source>A whole board is exported as xlsx or pdf, not &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The board has no section &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The folder %1 for the export does not exist.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The folder %1 for the export cannot be written to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a regular file: name a new file, a file to replace, or a folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The export could not be recorded, so %1 was not kept: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardFilterBar</name>
    <message>
        <source>Period:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Salary month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>As of:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skill:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name or number…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trend by:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All severities</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Low</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Medium</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>High</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Critical</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pick a month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a period.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queue as of:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The instant of the queue&apos;s figures (pending, their ages, past SLA, expiring): now, or a moment in the past to see the queue as it stood then.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All target types</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A time…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queue as of</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All rules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rules to show</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approver</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All approvers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (not in this workspace)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rule %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 rules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every rule of the tenant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The %1 tab does not use the period; only these tabs do: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, </source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardKpiCard</name>
    <message>
        <source>Retry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No data for this period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardLoad</name>
    <message>
        <source>Reading the choices of the board&apos;s filters</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardLoadSet</name>
    <message>
        <source>&quot;%1&quot; is not an amount in yuan (like 1234.50).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; has more than 2 decimals (amounts are in yuan and fen).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a number with at most 8 digits and 4 decimals.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a time with its offset (like 2026-05-31T23:30:00+08:00).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no directory %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: not a board data file (known: the view names of the template, like v_dwd_assistant_service_log.csv).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: cannot be read (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, line 1: the header row is missing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, line 1, column %2: &quot;%3&quot; is %4.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a column of this file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>named twice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, line 1: the column &quot;%2&quot; is missing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, line %2: %3 field(s) where the header has %4.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a value is required.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not one of %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the text is blank.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an identifier (1 to 128 characters, no spaces).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a site id (1 to 128 characters, no spaces).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the site &quot;%1&quot; is neither declared in site_settings.csv nor known.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a whole number from %2 to %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is neither 0 nor 1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a date (YYYY-MM-DD).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not the first day of a month (YYYY-MM-01).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a time zone (like Asia/Shanghai).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, line %2, column %3 (%4): %5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, line %2: the same row (%3) as line %4.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, line %2: the site &quot;%3&quot; already has data bucketed by its business day; changing its time zone or cut-off is not supported by a file load.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing was loaded:
%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot create the directory %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardPage</name>
    <message>
        <source>The page number must be 1 or more, not %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The page size must be from 1 to %1, or 0 for every row; %2 is not.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>With every row on one page there is only page 1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardPartitionPull</name>
    <message>
        <source>Recording the user&apos;s sites</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replacing %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server sent &quot;%1&quot; for %2 of %3, not a whole number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the server lists %2 rows (checksum %3), the workspace wrote %4 (%5); the partition was left as it was.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recording %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no board dataset &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the board partitions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: this version of Riskdesk does not know the dataset; skipped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the server&apos;s partition does not fit the dataset; skipped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Marking %1 for the next sync</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardPdfExport</name>
    <message>
        <source>Page %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (continued)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Total</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A PDF export needs a QGuiApplication (fonts).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not write %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unavailable: %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (columns %2–%3 of %4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The first %1 of %2 rows, in the section&apos;s order; the XLSX export holds every row. The totals are over all of them.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardPeriod</name>
    <message>
        <source>The period needs a valid start and end date.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The period starts on %1, after its end %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The period %1 ~ %2 has %3 days; at most %4 are allowed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1-%2 is not a month.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The month %1 has not begun yet (today is %2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a month; write it as YYYY-MM, e.g. 2026-05.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <comment>preset name, resolved dates</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PoP %1</source>
        <comment>period-over-period against the previous range</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 60 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This quarter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This year</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Custom</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One business day.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From the first day of this week up to today.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The whole previous week.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From the 1st of this month up to today.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The whole previous calendar month, not the last 30 days.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>The last %n business day(s), today included.</source>
        <translation>
            <numerusform>The last business day, today included.</numerusform>
            <numerusform>The last %n business days, today included.</numerusform>
        </translation>
    </message>
    <message>
        <source>From the first day of this quarter up to today.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From January 1 up to today.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Any range of at most %n day(s).</source>
        <translation>
            <numerusform>Any range of at most %n day.</numerusform>
            <numerusform>Any range of at most %n days.</numerusform>
        </translation>
    </message>
    <message>
        <source>One calendar month; the current month up to today.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data are loaded through %1: no day of this period is loaded yet, so its figures show no data (—), not zero.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not loaded yet (data are loaded through %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Data are loaded through %1: the last %n day(s) of this period have no data yet, so its changes compare the days loaded with as many days of the previous period (%2).</source>
        <translation>
            <numerusform>Data are loaded through %1: the last day of this period has no data yet, so its changes compare the days loaded with as many days of the previous period (%2).</numerusform>
            <numerusform>Data are loaded through %1: the last %n days of this period have no data yet, so its changes compare the days loaded with as many days of the previous period (%2).</numerusform>
        </translation>
    </message>
    <message>
        <source>before the site&apos;s data begin (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The site&apos;s data begin on %1, after this period ends: its figures show no data (—), not zero.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The site&apos;s data begin on %1: this period&apos;s days before then hold nothing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The site&apos;s data begin on %1: this period&apos;s days before then hold nothing, and the previous period (%2) ends before them, so no change is shown (—).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The site&apos;s data begin on %1: this period&apos;s days before then hold nothing, and the previous period (%2) starts before them, so its changes are not like for like.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The site&apos;s data begin on %1, after the previous period (%2) ends, so no change is shown (—).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The site&apos;s data begin on %1, within the previous period (%2), so its changes are not like for like.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The period ends on %1, after today (%2): no figures exist yet for the days to come. Choose an end on or before today.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The as-of day %1 is after today (%2). Choose today or an earlier day.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The queue&apos;s time %1 is after now (%2): there are no figures for times to come. Choose now or an earlier time.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardReport</name>
    <message>
        <source>Tenant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Site</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dimension</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>As of</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Snapshot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trend by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compared with the queue at</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data loaded through: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Live figures of the workspace when this was made</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardReportCodec</name>
    <message>
        <source>A cached board result could not be read; it is computed anew.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardScope</name>
    <message>
        <source>Reading the tenant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no tenant &quot;%1&quot; in this workspace.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no user &quot;%1&quot; in tenant &quot;%2&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the sites</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>skill types</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>coach board</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>customer board</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>finance board</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>risk-operations board</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User &quot;%1&quot; (%2) may not open the %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tenant &quot;%1&quot; has no board data yet: load some with riskdesk board load.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User &quot;%1&quot; is not granted any site of tenant &quot;%2&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Site &quot;%1&quot; is not one you may open; choose one of: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the site&apos;s settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Site &quot;%1&quot; has no settings in this workspace.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the data&apos;s watermark</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardSectionView</name>
    <message>
        <source>Retry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 per page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚠ This section could not be computed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚠ Part of the data is unavailable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No rows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1–%2 of %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>— No data: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardServerLoad</name>
    <message>
        <source>There is no tenant &quot;%1&quot; on this server.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardServerSeed</name>
    <message>
        <source>Reading the workspace&apos;s %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardSort</name>
    <message>
        <source>Cannot sort by &quot;%1&quot;; choose one of: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The sort direction &quot;%1&quot; is not asc or desc.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardTable</name>
    <message>
        <source>Total</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Page %1 of %2 (%3 row(s) in all)</source>
        <translation>
            <numerusform>Page %1 of %2 (%3 row in all)</numerusform>
            <numerusform>Page %1 of %2 (%3 rows in all)</numerusform>
        </translation>
    </message>
    <message>
        <source>No row matches these filters.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardTableModel</name>
    <message>
        <source>Unavailable: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Click to sort the whole set by this column.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The rows cannot be sorted by this column.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardTenantPull</name>
    <message>
        <source>Replacing %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server sent &quot;%1&quot; for %2 of %3, not a whole number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the server shows %2 rows (checksum %3), the workspace wrote %4 (%5); the data was left as it was.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recording %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no tenant-wide board dataset &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardValue</name>
    <message>
        <source>%1 h</source>
        <comment>hours with two decimals</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unavailable: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the total is too large to add up exactly</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the difference is too large to compute exactly</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 h</source>
        <comment>hours with one decimal</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No data: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardViewCommand</name>
    <message>
        <source>Name the tenant with --tenant T (this workspace has: %1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prints the %1 of a workspace.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The workspace file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The tenant (default: the only one with board data).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read as this user: only their sites and boards (default: the owner).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The site (default: the only one you may open).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The business day to treat as today (default: the site&apos;s today).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The instant to treat as now (default: the clock).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The salary month (default: this month).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only coaches with this skill code.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>recall, potential, balance, recharge, recent, spend60, freq60 or loyalty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The as-of business day (default: today).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The queue&apos;s instant (default: now).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The period&apos;s first business day.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The period&apos;s last business day.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A named period: today, yesterday, this_week, last_week, this_month, last_month, last_7_days, last_30_days, last_60_days, this_quarter, this_year.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only rows whose name or number contains this text.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sort by this column, ascending or descending.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The page to print (from 1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rows per page (default 20; 0 prints every row).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>List the rows a cell was computed from.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The section to write as CSV (default: the first).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV header with the data&apos;s column names instead of labels.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV without the byte-order mark that spreadsheets need for UTF-8.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--%1 must be a whole number, not &quot;%2&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--workspace PATH is required.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no workspace at %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--now must be an ISO 8601 time with Z or an offset, not &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name the site with --site S (you may open: %1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give either --preset or --from and --to, not both.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--as-of must be an ISO 8601 time with Z or an offset, not &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no section &quot;%1&quot;; this board has: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only members related to this coach id.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The trend&apos;s buckets: day, week or month (default: by the period&apos;s length).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only coaches of these tiers (comma-separated).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Also inactive coaches with no activity in the month.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only this rule (give it several times for several).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only rules of this severity: low, medium, high or critical.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only this target type.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only this reason category.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only exceptions this user acted on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write to this file instead of standard output; an existing directory gets the export&apos;s standard file name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--format must be text, json, csv, xlsx or pdf, not &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exports are recorded in the workspace, which cannot be written: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) written to %1.</source>
        <translation>
            <numerusform>%n row written to %1.</numerusform>
            <numerusform>%n rows written to %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>The export could not be recorded, so it was not written: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--%1 is missing: a range needs both --from and --to (YYYY-MM-DD).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--%1 must be a date YYYY-MM-DD, not &quot;%2&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--format %1 writes a file: give --output FILE (or a directory, for the standard name, such as finance-board_S1_2026-05-01_2026-05-31_20260601T1030.%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no period preset &quot;%1&quot;; the presets are: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The export could not be recorded, so it was not kept: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>text (default), json, csv (one section), xlsx (the whole board, every section and row) or pdf (the whole board, each section&apos;s first 200 rows); xlsx and pdf need --output.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>--page %1 is past the last page of %2: it has %3 page(s).</source>
        <translation>
            <numerusform>--page %1 is past the last page of %2: it has %3 page.</numerusform>
            <numerusform>--page %1 is past the last page of %2: it has %3 pages.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) of &quot;%2&quot; written to %1.</source>
        <translation>
            <numerusform>%n row of &quot;%2&quot; written to %1.</numerusform>
            <numerusform>%n rows of &quot;%2&quot; written to %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>A CSV holds one section; the board&apos;s others are %1 (name one with --section), and --format xlsx writes them all.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ends in .%2, but --format %3 writes a .%3 file: name it %4, or choose --format %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ends in .%2, but --format text writes plain text: leave --format out, or choose another name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--section chooses the section of a CSV: add --format csv. The %1 output shows every section.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardWorkspaceLoad</name>
    <message>
        <source>Reading the sites</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the tenants</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no tenant &quot;%1&quot; in this workspace.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the last load</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replacing %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rebuilding the members&apos; sites</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recording the load</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardXlsxExport</name>
    <message>
        <source>Could not create %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Section</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Indicator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compared with</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Total</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Board</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reconciliation warning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unavailable field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 (its cells are empty)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n cell(s) could not be computed and are left empty.</source>
        <translation>
            <numerusform>%n cell could not be computed and are left empty.</numerusform>
            <numerusform>%n cells could not be computed and are left empty.</numerusform>
        </translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A row came before its section.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 sections were computed but %2 written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the file could not be created in its folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no temporary file could be made (is the disk full?)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key figures</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardsPage</name>
    <message>
        <source>Board:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Board</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Site:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Site</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compute the board again, past the cache (F5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skill types</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coach board</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer board</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finance board</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Risk-operations board</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your role opens no boards. Finance users read every board; approvers and auditors read the risk-operations board.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are granted no site of this tenant, so there is no board to show. Ask an administrator for a site membership.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>from the cache (F5 computes it again)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data may be late</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No board on screen yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Whole board as Excel (XLSX)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Whole board as PDF…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Section as CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV file (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no board on screen to export.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) exported to %1</source>
        <translation>
            <numerusform>%n row exported to %1</numerusform>
            <numerusform>%n rows exported to %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>last synced with the backend at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not yet synced with the backend from this workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline — no result of this board is cached; it needs a first sync with the backend (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline — this site&apos;s board data has never been synced; the board needs a first sync with the backend (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline — showing the result cached at %1 (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline — showing the result computed at %1 from the data in this workspace (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The backend cannot be reached. The figures are those this desktop already had; F5 computes them again from this workspace, and the next sync brings newer data.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data loaded through %1 · Refreshed at %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export a section as CSV, or the whole board as Excel (every section and tab, every row) or PDF (each section&apos;s first 200 rows)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Live figures of this workspace · Refreshed at %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::BulkDecisionDialog</name>
    <message numerus="yes">
        <source>Reject %n exception(s)</source>
        <translation>
            <numerusform>Reject %n exception</numerusform>
            <numerusform>Reject %n exceptions</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Approve %n exception(s)</source>
        <translation>
            <numerusform>Approve %n exception</numerusform>
            <numerusform>Approve %n exceptions</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n exception(s) will be rejected, each on its own: any the rules refuse are listed afterwards with the reason.</source>
        <translation>
            <numerusform>%n exception will be rejected: if the rules refuse it, the reason is shown afterwards.</numerusform>
            <numerusform>%n exceptions will be rejected, each on its own: any the rules refuse are listed afterwards with the reason.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n exception(s) will be approved, each on its own: any the rules refuse are listed afterwards with the reason.</source>
        <translation>
            <numerusform>%n exception will be approved: if the rules refuse it, the reason is shown afterwards.</numerusform>
            <numerusform>%n exceptions will be approved, each on its own: any the rules refuse are listed afterwards with the reason.</numerusform>
        </translation>
    </message>
    <message>
        <source>By rule:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exceptions by rule</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1: %n exception(s)</source>
        <translation>
            <numerusform>%1: %n exception</numerusform>
            <numerusform>%1: %n exceptions</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n of them need two approvals: this is their first step, and a second approver must still approve them.</source>
        <translation>
            <numerusform>%n of them needs two approvals: this is its first step, and a second approver must still approve it.</numerusform>
            <numerusform>%n of them need two approvals: this is their first step, and a second approver must still approve them.</numerusform>
        </translation>
    </message>
    <message>
        <source>Why are they rejected? Every one of them gets this reason; the applicants and the auditors will read it (at most %1 characters).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rejection reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Reject %n</source>
        <translation>
            <numerusform>Reject %n</numerusform>
            <numerusform>Reject %n</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Approve %n</source>
        <translation>
            <numerusform>Approve %n</numerusform>
            <numerusform>Approve %n</numerusform>
        </translation>
    </message>
    <message>
        <source>Ctrl+Return</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A rejection needs a reason. Say what is missing or wrong.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The reason has %1 characters; at most %2 are allowed. Shorten it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n of them are no longer pending.</source>
        <translation>
            <numerusform>%n of them is no longer pending.</numerusform>
            <numerusform>%n of them are no longer pending.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n of them have a validity window that has ended: they are closed automatically instead.</source>
        <translation>
            <numerusform>%n of them has a validity window that has ended: it is closed automatically instead.</numerusform>
            <numerusform>%n of them have a validity window that has ended: they are closed automatically instead.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n of them are your own requests: another approver must decide them.</source>
        <translation>
            <numerusform>%n of them is your own request: another approver must decide it.</numerusform>
            <numerusform>%n of them are your own requests: another approver must decide them.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n of them you have already acted on: their next step needs a different approver.</source>
        <translation>
            <numerusform>%n of them you have already acted on: its next step needs a different approver.</numerusform>
            <numerusform>%n of them you have already acted on: their next step needs a different approver.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n of them need an approver; you are not signed in as one.</source>
        <translation>
            <numerusform>%n of them needs an approver; you are not signed in as one.</numerusform>
            <numerusform>%n of them need an approver; you are not signed in as one.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n of them for another reason of the rules.</source>
        <translation>
            <numerusform>%n of them for another reason of the rules.</numerusform>
            <numerusform>%n of them for another reason of the rules.</numerusform>
        </translation>
    </message>
    <message>
        <source>None of them can be rejected by you now:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None of them can be approved by you now:</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>The rules will refuse %n of them:</source>
        <translation>
            <numerusform>The rules will refuse %n of them:</numerusform>
            <numerusform>The rules will refuse %n of them:</numerusform>
        </translation>
    </message>
    <message>
        <source>The reason contains %1, which cannot be stored. Remove it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n of them are assigned to another approver: claim them first to decide them.</source>
        <translation>
            <numerusform>%n of them is assigned to another approver: claim it first to decide it.</numerusform>
            <numerusform>%n of them are assigned to another approver: claim them first to decide them.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n of them are routed to another approver, who alone can decide them now.</source>
        <translation>
            <numerusform>%n of them is routed to another approver, who alone can decide it now.</numerusform>
            <numerusform>%n of them are routed to another approver, who alone can decide them now.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>riskdesk::BulkDecisionPlan</name>
    <message>
        <source>Counting the matching exceptions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the exceptions to decide</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::BulkOutcomeDialog</name>
    <message numerus="yes">
        <source>%n decision(s) recorded</source>
        <translation>
            <numerusform>%n decision recorded</numerusform>
            <numerusform>%n decisions recorded</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n of them a first step of two</source>
        <translation>
            <numerusform>%n of them a first step of two</numerusform>
            <numerusform>%n of them a first step of two</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n refused</source>
        <translation>
            <numerusform>%n refused</numerusform>
            <numerusform>%n refused</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n not tried</source>
        <translation>
            <numerusform>%n not tried</numerusform>
            <numerusform>%n not tried</numerusform>
        </translation>
    </message>
    <message>
        <source>; </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bulk decision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The batch stopped: %1 Nothing of the unfinished part was stored; decide the rest again once the problem is solved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refused (the first %1 of %2):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refused:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refused exceptions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exception</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::CalendarDay</name>
    <message>
        <source>%1 is not a day of the calendar; a month is 01 to 12.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a day of the calendar; %2-%3 has %4 days.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::ChainCheckLog</name>
    <message>
        <source>Recording the chain&apos;s verification</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the chain&apos;s last verification</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The chain breaks at entry %1: an entry was altered, removed or inserted. Verify the log on the approval log page for the details.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The log has no entries.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All %1 entries are intact.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::CoachBoard</name>
    <message>
        <source>Computing the coach board</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: gross pay against base + incentive + sprint bonus</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the customer-sourced stored value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown coach #%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <comment>coach name (number)</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filters coaches by skill; figures cover all of a coach&apos;s services.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The coach board shows a salary month: give --month YYYY-MM.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an enabled skill type of this site; choose one of: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coach board</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PoP salary month %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coaches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coach</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service income</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Effective hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Base hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Base-course income</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Incentive-course income</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Course cost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sprint bonus</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gross pay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customers served</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PoP service income</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PoP gross pay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PoP hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Top 3 customers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer-sourced stored value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Progress to next tier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No tier configuration: the progress is not estimated.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not in the coach list: found only in the month&apos;s salary rows or service logs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tier id %1; base course %2/h, incentive course %3/h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No salary row for the month.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n recharge(s), commission %1</source>
        <translation>
            <numerusform>%n recharge, commission %1</numerusform>
            <numerusform>%n recharges, commission %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n coach(es) found only in salary rows or service logs, shown as unknown.</source>
        <translation>
            <numerusform>%n coach found only in salary rows or service logs, shown as unknown.</numerusform>
            <numerusform>%n coaches found only in salary rows or service logs, shown as unknown.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Total (%n coach(es))</source>
        <translation>
            <numerusform>Total (%n coach)</numerusform>
            <numerusform>Total (%n coaches)</numerusform>
        </translation>
    </message>
    <message>
        <source>Distinct customers of all these coaches, not the sum of the rows.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PoP salary month %1 (whole); %2 is still running: its pay so far</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not totalled: read for each coach on the page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not totalled: each coach&apos;s own progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the site&apos;s tiers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a tier of this site; choose among: %2.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::CoachBoardSet</name>
    <message>
        <source>Computing the coach board</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::CoachDrill</name>
    <message>
        <source>Reading the service-log rows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service-log rows of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settled at</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Business day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coach</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hours used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service income</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skill</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>table #%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n distinct customer(s)</source>
        <translation>
            <numerusform>%Ln distinct customer</numerusform>
            <numerusform>%Ln distinct customers</numerusform>
        </translation>
    </message>
    <message>
        <source>Service income of these rows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hours of these rows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Distinct customers of these rows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the salary rows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Salary months of %1 (last 6)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Salary rows of %1 for %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Base hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Effective hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Base-course income</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Incentive-course income</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Course cost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sprint bonus</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gross pay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The chosen month&apos;s figure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sum of these rows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customers of %1 by intimacy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rank</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Intimacy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Level</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Calculated on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Names unavailable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the recharge-commission rows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer-sourced stored value of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recharged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recharges</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Commission</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot drill into &quot;%1&quot;: %2 Write COLUMN:COACH_ID or COLUMN:total, with COLUMN one of: %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>there is no such column.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the top 3 has no total.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finding the coach</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>coach %1 is not on the board with these filters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all coaches shown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coach board: the rows behind %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Voided</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Voided rows are listed greyed out; they are never counted in the sums.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>voided</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is neither a coach id, a coach number of this site nor total.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the customer-sourced stored value has no total: it is read for each coach.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>&quot;%1&quot; is the number of %n coaches of this site; use a coach id.</source>
        <translation>
            <numerusform>&quot;%1&quot; is the number of %n coach of this site; use a coach id.</numerusform>
            <numerusform>&quot;%1&quot; is the number of %n coaches of this site; use a coach id.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>riskdesk::CoachTop3</name>
    <message>
        <source>Reading the coaches&apos; customers by intimacy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the customers&apos; names</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>member #%1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::CommandLine</name>
    <message>
        <source>How many exceptions to generate (default 5000).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Random seed; the same seed and anchor give the same workspace.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The demo&apos;s &quot;now&quot; (ISO-8601; default: the current time).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Creates a demo workspace.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--workspace PATH is required.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--exceptions must be a whole number of 0 or more, not &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--seed must be a whole number, not &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--anchor must be an ISO-8601 time, not &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  %1 of %2 exceptions written</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demo workspace %1: %2 tenants, %3 users, %4 rules, %5 exceptions, %6 log entries in %7 s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only this tenant (default: every tenant).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only this status: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>json (default) or csv.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lists exceptions with the reference field names.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--format must be json or csv, not &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--status must be one of %1, not &quot;%2&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write to standard output.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The user who decides.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comment; required to reject.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The exception&apos;s tenant (default: found from the id).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The exception.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>approve, reject or withdraw.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approves, rejects or withdraws an exception.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give the exception id and the action, e.g.: riskdesk decide --workspace W --as li.wei exc-0123456789ab approve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The action must be approve, reject or withdraw, not &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--as USER_ID is required: say who decides.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no user &quot;%1&quot; in this workspace.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is now %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step %1 recorded; %2 now waits for %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>another approver</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The CSV file to write.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>log export needs --tenant T and --output FILE.csv.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrote %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: intact. %2 Head: entry %3, %4.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: BROKEN at entry %2. %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The workspace file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no tenant &quot;%1&quot; in this workspace (tenants: %2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The exception&apos;s tenant (default: whichever holds it).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The exception to preview.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replays an exception&apos;s target history with and without the waiver.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name one exception: riskdesk replay --workspace PATH EXC_ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no exception %1 in this workspace.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 of %3 events in the validity window. If approved: hits waived %4 (amount %5), decisions changed %6.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exports one tenant&apos;s approval log as CSV, with both hashes of every entry.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The tenant whose log to export.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only entries at or after this time or date (UTC).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only entries before this time, or up to the end of this date (UTC).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only entries by approvers whose id or name contains this text.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only this action: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--%1 must be a date (2026-11-30) or an ISO-8601 time, not &quot;%2&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--from must come before --to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--action must be one of %1, not &quot;%2&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: BROKEN. %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: intact. %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verifies the hash-chained approval log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the server&apos;s log instead of a workspace&apos;s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give one of --workspace PATH, --url URL or --csv FILE.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exception %1 belongs to tenant %2, not %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reads the whole workspace file for damage (SQLite&apos;s checks).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Also match every index entry to its row (slower).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: no damage found (%2 check, %3 s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>full</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>quick</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It is open read-only here: it can be read and verified, not changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 holds no log entries: there is nothing to verify.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--csv checks the whole file; export one tenant with log export --tenant instead of giving --tenant here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Makes a new, empty workspace (no tenants, users or exceptions).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 already exists; a workspace is only made where there is none.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Made an empty workspace at %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Multiplies the boards&apos; demo business (coaches, members, service logs, orders) by N, 1 to %1 (default 1; 0: no board data).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--board-scale must be a whole number from 0 to %1, not &quot;%2&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Boards: sites S1 and S2 of tenant acme, %1 service logs, %2 recharge orders, %3 board rows in all.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assigns a pending exception to an approver.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assigns a pending exception to yourself.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leaves a pending exception unassigned.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Escalates an overdue exception to a lead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The approver who makes the change.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who the exception goes to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give one exception id, e.g.: riskdesk exceptions %1 --workspace W --as li.wei exc-0123456789ab</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--as USER_ID is required: say who makes the change.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--to USER_ID is required: say who the exception goes to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is released; nobody is assigned.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is escalated to %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is assigned to %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adds a comment to an exception&apos;s thread.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prints an exception&apos;s comment thread, oldest first, as JSON.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The user who reads or writes the comments.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The comment; @login mentions a user.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give one exception id, e.g.: riskdesk comments list --workspace W --as li.wei exc-0123456789ab</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--as USER_ID is required: say who you are.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--text TEXT is required: say what the comment is.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comment added to %1; it waits in the outbox for the next sync.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 belongs to several tenants (%2): say which with --tenant or the request&apos;s tenant_id.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Files a request: a pending exception, queued for the server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The applicant who files it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The request: one JSON object with the reference&apos;s fields (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A file to attach (an image, PDF, text or CSV); give it once per file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The tenant (default: the request&apos;s tenant_id, or the applicant&apos;s only tenant).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--as USER_ID is required: say who files the request.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--input REQUEST.json is required.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>applicant_id is %1 but --as is %2: a request is filed by its applicant.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tenant_id is %1 but --tenant is %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is filed: pending, waiting to be sent to the server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: a selection, its entries intact. %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check a file written by log export, on its own (exit code 0: the whole chain from its first entry is intact; 1: broken; 3: a filtered export whose entries are intact).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>one request (a JSON object {…})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: BROKEN. This desktop verified its approval log up to entry %2, but the workspace no longer has this tenant.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The exception id is empty: give one such as exc-0123456789ab (the queue and &quot;riskdesk exceptions list&quot; show them).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no exception &quot;%1&quot; in the tenants of %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--comment TEXT is required to reject: say why, e.g. --comment &quot;The invoice does not match the claim.&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ends in .%2, but log export writes CSV: name it %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warning: the approval log of %1 is broken at entry %2: %3 The file holds the entries as they are stored and is not marked as the whole log; run log verify for the details.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The folder %1 for the workspace does not exist; check the path, or make the folder first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a user of tenant &quot;%2&quot; (their tenants: %3).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::CommandParser</name>
    <message>
        <source>%1 is given more than once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>See: %1 %2 --help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Usage: %1 %2 [options]%3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2 takes no argument &quot;%3&quot; (only options).</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Unexpected extra argument &quot;%1&quot; (%2 %3 takes %n argument(s)).</source>
        <translation>
            <numerusform>Unexpected extra argument &quot;%1&quot; (%2 %3 takes %n argument).</numerusform>
            <numerusform>Unexpected extra argument &quot;%1&quot; (%2 %3 takes %n arguments).</numerusform>
        </translation>
    </message>
    <message>
        <source>Open the workspace read-only: nothing is written to the file, not even the record of this check, so its bytes stay as they were.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::CommandTable</name>
    <message>
        <source>Usage:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>See: %1 %2 COMMAND --help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--lang en|zh_CN, --help and --version work before or after the command; the window&apos;s options given before a command go to the command.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exit status: 0 done, 1 refused or failed, 2 bad usage.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown command &quot;%1&quot;. See: %2 --help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown command &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1 %2&quot; needs a command right after it: %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown command &quot;%1 %2&quot;; available: %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exit status: 0 done, 1 refused or failed, 2 bad usage, 3 (log verify --csv) the file is an intact part of the log, not the whole chain.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::CommentService</name>
    <message>
        <source>Reading the users to mention</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the comments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not an approver of this tenant; only approvers comment on exceptions.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Storing the comment</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::CommentSync</name>
    <message>
        <source>Reading the comments to send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recording the server&apos;s answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the server did not take the comment: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the comment cursor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copying the server&apos;s comments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keeping the comment cursor</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::CommentText</name>
    <message>
        <source>A comment cannot contain the character U+0000.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write something: a comment cannot be blank.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A comment has at most %1 characters; this one has %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A comment cannot contain a control character (%1); remove it.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::CommentThreadView</name>
    <message>
        <source>Comments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New comment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a comment… (@ to mention someone, Ctrl+Enter to send)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send comment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send the comment (Ctrl+Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comments (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not yet on the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server refused it: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No comments yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 characters: %3 too many</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 characters</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::Console</name>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::CopyStream</name>
    <message>
        <source>The server sent a row this version cannot read.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::CredentialStore</name>
    <message>
        <source>the keychain did not answer</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::CustomerBoard</name>
    <message>
        <source>Reading the snapshot date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counting the members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finding the page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the previous snapshot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the previous period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the refunds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer board</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Days since last visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stored-value balance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Related coaches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From valid service logs on or before the as-of day.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n member(s)</source>
        <translation>
            <numerusform>%Ln member</numerusform>
            <numerusform>%Ln members</numerusform>
        </translation>
    </message>
    <message>
        <source>Balances are current values, not the balances of %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Refunds in the period: %1 (%n order(s)); refunded orders are not ranked.</source>
        <translation>
            <numerusform>Refunds in the period: %1 (%n order); refunded orders are not ranked.</numerusform>
            <numerusform>Refunds in the period: %1 (%n orders); refunded orders are not ranked.</numerusform>
        </translation>
    </message>
    <message>
        <source>Coach-service spend only (ledger amounts of coach service logs).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only members related to coach #%1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, total</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refunds in the period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scores do not add up: the totals row gives the mean %1 of the members that have one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, mean</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no member to take the mean of</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the site&apos;s coaches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no coach #%1 at site %2.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::CustomerDimensions</name>
    <message>
        <source>Recall</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Potential</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Balance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recharge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recent visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>60-day spend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>60-day frequency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loyalty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scores of %1, the latest calculation on or before %2; computed by the data platform.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No scores were calculated on or before %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Current balances of the members&apos; card accounts at the site.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Valid recharge orders (not voided, not refunded) paid in %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last visit on or before %1; visits counted in %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coach-service spend of valid service logs in the 60 business days %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visits in 60 days from the summary of %1 (the latest on or before %2); spend over %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No consumption summary was calculated on or before %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coach-service spend (60 days)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WBI</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SPI</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stored-value balance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gift balance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last recharge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recharge amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Orders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gift amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Days since the visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visits in the period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PoP against the previous 60 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visits in 60 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visits per week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Highest RS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Intimacy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coach</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coaches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data are loaded through %1: no day of the 60-day window is loaded yet, so its figures show no data (—), not zero.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Data are loaded through %1: the last %n day(s) of the 60-day window have no data yet, so its changes compare the days loaded with as many days of the previous window (%2).</source>
        <translation>
            <numerusform>Data are loaded through %1: the last day of the 60-day window has no data yet, so its changes compare the days loaded with as many days of the previous window (%2).</numerusform>
            <numerusform>Data are loaded through %1: the last %n days of the 60-day window have no data yet, so its changes compare the days loaded with as many days of the previous window (%2).</numerusform>
        </translation>
    </message>
    <message>
        <source>Data are loaded through %1: no day of the 60-day window is loaded yet, so the column “%2” shows no data (—), not zero.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Data are loaded through %1: the last %n day(s) of the 60-day window have no data yet, so the column “%2” covers %3 only.</source>
        <translation>
            <numerusform>Data are loaded through %1: the last day of the 60-day window has no data yet, so the column “%2” covers %3 only.</numerusform>
            <numerusform>Data are loaded through %1: the last %n days of the 60-day window have no data yet, so the column “%2” covers %3 only.</numerusform>
        </translation>
    </message>
    <message>
        <source>Days since last visit, on the scores&apos; day</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::CustomerDrill</name>
    <message>
        <source>The %1 tab has no cells to drill into (its figures are scores or snapshots).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot drill into &quot;%1&quot; on the %2 tab; use &lt;column&gt;:&lt;member id&gt; or &lt;column&gt;:total with a column of: %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The drill-down cell must be &lt;column&gt;:&lt;member id&gt; or &lt;column&gt;:total, not &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finding the member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Member #%1 is not on the %2 tab with these filters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service logs %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settled at</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Business day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coach</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skill</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Card accounts (current values)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Card type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last recharge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gift balance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stored-value balance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Valid recharge orders %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paid at</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Channel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recharge amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gift amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Orders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visits %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Arrived</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listing the rows of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The rows of %1 for %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The rows of %1 for every member of the tab.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer board: drill-down</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::CustomerEnrichments</name>
    <message>
        <source>Member #%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coach #%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the members&apos; names</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the members&apos; phones</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the members&apos; last visits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the members&apos; balances</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the members&apos; related coaches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(following up)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::CustomerQuery</name>
    <message>
        <source>There is no dimension &quot;%1&quot;; choose one of: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The board needs the site&apos;s business day today.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The as-of day %1 is after today (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The coach must be a coach id (a whole number), not &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The search text is longer than %1 characters.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::CustomerRankings</name>
    <message>
        <source>Ranking the customers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the customer rankings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking the customer rankings</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::CustomerVisitHeatmap</name>
    <message>
        <source>Reading the visits by weekday and hour: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visits by weekday and hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coach services created %1 ~ %2, voided ones excluded; hours in the site&apos;s time zone.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::DateField</name>
    <message>
        <source>There is no month %1: months run from 01 to 12.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 has no day %2: it has %n day(s).</source>
        <translation>
            <numerusform>%1 has no day %2: it has %n day.</numerusform>
            <numerusform>%1 has no day %2: it has %n days.</numerusform>
        </translation>
    </message>
    <message>
        <source>There is no day %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no hour %1: hours run from 00 to 23.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no minute %1: minutes run from 00 to 59.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 The field is back to %2.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::DeferredIndexBuild</name>
    <message>
        <source>Reading the workspace&apos;s index plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keeping the workspace&apos;s index plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An earlier index build has not finished yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Building the workspace&apos;s indexes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Building the search index</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::DemoBoardBuilder</name>
    <message>
        <source>Reading the board sites</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tenant &quot;%1&quot; already has board data; the demo business is written only once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the board indexes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preparing the board tables</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Building the board indexes</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::DemoBoardGenerator</name>
    <message>
        <source>The demo&apos;s tenders of %1 exceed its revenue.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The board scale must be a whole number from 1 to %1, not %2.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::DemoWorkspaceBuilder</name>
    <message>
        <source>%1 already holds data; the demo is written only into a new, empty workspace.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The number of exceptions must be 0 or more.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The demo rules are missing from this build.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing demo exception %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing the demo approval log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is in use by another program; close it and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot create the folder %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving the demo workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot put the demo workspace in place at %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Naming the demo&apos;s leads</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::DirectoryRepository</name>
    <message>
        <source>Adding tenant %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adding user %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adding rule %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading tenants</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading users</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a member of tenant %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading rules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading rule %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rule %1 is not in tenant %2.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::Domain</name>
    <message>
        <source>Pending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Withdrawn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Claim</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Claim item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transaction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merchant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Low risk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Medium risk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>High risk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Critical risk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applicant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approver</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Auditor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finance</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::EmptyResultsOverlay</name>
    <message>
        <source>&amp;Clear filters</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::EnrichmentRunner</name>
    <message>
        <source>injected fault in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unexpected failure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no answer within %1 s</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::ExceptionBulkLoad</name>
    <message>
        <source>Reading the workspace&apos;s indexes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preparing the bulk insert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Building the search index</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rebuilding the workspace&apos;s indexes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the approval log</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::ExceptionDecision</name>
    <message>
        <source>%1 is already %2; only pending exceptions can be decided.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The validity window of %1 ended on %2 before a decision was made; it is rejected automatically.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only the applicant (%1) can withdraw %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You applied for %1 yourself; another approver must decide it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You already acted on %1; a second step needs a different approver.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A rejection needs a reason. Say why %1 is rejected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The comment on %1 contains a NUL character (U+0000), which cannot be stored; remove it and decide again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The comment on %1 has %2 characters; at most %3 are allowed. Shorten it and decide again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The comment on %1 contains a control character (%2); remove it and decide again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is assigned to %2, so only they decide it; claim it first if you are taking it over.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is routed to %2 for its second step; only they can decide it now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is routed to %2; only they can decide it now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 takes part here as %2; only approvers can approve or reject.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::ExceptionDetailPanel</name>
    <message>
        <source>Approved (step %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %2 by %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applicant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Valid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Justification</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attachment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rejection reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approval chain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Approve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approve the exception (A, or Ctrl+Return)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reject…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reject with a reason (R, or Ctrl+Shift+Return)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Withdraw</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Withdraw your own request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No exception selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a row in the queue to see the request and decide it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — step %2 of 2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (automatically)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2 ago)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 — %2; needs %n approval(s)</source>
        <translation>
            <numerusform>%1 — %2; needs %n approval</numerusform>
            <numerusform>%1 — %2; needs %n approvals</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 (not in this workspace)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 → %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>any approver</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · Requested by %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Current risk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %2 · %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Latest assessment %1, %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No assessment of %1 in this workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>If approved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replaying the target&apos;s history…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Latest assessed transaction, %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No recorded history for %1 in this workspace, so nothing to replay</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n event(s) on record, %1 in the validity window</source>
        <translation>
            <numerusform>%n event on record, %1 in the validity window</numerusform>
            <numerusform>%n events on record, %1 in the validity window</numerusform>
        </translation>
    </message>
    <message>
        <source>The rule holds none of them back in the window: approving changes nothing recorded so far</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Waives %n of the rule&apos;s hits, %1 in all (largest %2)</source>
        <translation>
            <numerusform>Waives %n of the rule&apos;s hits, %1 in all (largest %2)</numerusform>
            <numerusform>Waives %n of the rule&apos;s hits, %1 in all (largest %2)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Lets %n case(s) through that wait for a supplement</source>
        <translation>
            <numerusform>Lets %n case through that waits for a supplement</numerusform>
            <numerusform>Lets %n cases through that wait for a supplement</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n decision(s) change</source>
        <translation>
            <numerusform>%n decision changes</numerusform>
            <numerusform>%n decisions change</numerusform>
        </translation>
    </message>
    <message>
        <source>  %1 · %2 · %3 → %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>  … and %n more</source>
        <translation>
            <numerusform>  … and %n more</numerusform>
            <numerusform>  … and %n more</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hit(s) outside the window stay held</source>
        <translation>
            <numerusform>%n hit outside the window stays held</numerusform>
            <numerusform>%n hits outside the window stay held</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n event(s) could not be read: %1</source>
        <translation>
            <numerusform>%n event could not be read: %1</numerusform>
            <numerusform>%n events could not be read: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Changed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Rule flow&lt;/b&gt; · click the diagram to enlarge it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rule flow: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Rule flow&lt;/b&gt; · the path of the target&apos;s latest case, %1: %2 · click the diagram to enlarge it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This workspace is read-only: no decisions can be made here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assignment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nobody</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, escalated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 %3 it (%4 → %5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(not synced yet)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(refused by the server: %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decides next</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only approvers comment on exceptions.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Files of the request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a file to show it below (arrow keys move between them)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — %2, %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n file(s)</source>
        <translation>
            <numerusform>%n file</numerusform>
            <numerusform>%n files</numerusform>
        </translation>
    </message>
    <message>
        <source>filed with the request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has only just come up: the key was not taken, so that a key pressed twice never decides a request nobody has seen. Press it again once you have read it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What it waives</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The rule holds none of them back in the window: the waiver has changed nothing recorded so far</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nobody holds it; its next step is routed to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, who no longer decides it: its next step is routed to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The validity window ended on %1 without a decision: it can no longer be approved or rejected, and is rejected automatically when the queue next closes ended windows.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::ExceptionQueueModel</name>
    <message>
        <source>%1 · step %2/2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Valid until %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exception</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applicant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Age</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expires</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (escalated)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applied %1; the SLA for %2 severity is %3, and this exception is past it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unassigned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next step&apos;s approver: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Escalated to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assigned to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⏰ %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decides next</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next step&apos;s approver: %1 (the assignment to %2 no longer decides it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decided: nobody decides it next</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::ExceptionRepository</name>
    <message>
        <source>Reading exception %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no exception %1 in tenant %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving exception %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 was changed by someone else while you looked at it; reload and decide again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preparing the queue query</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counting exceptions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looking for ended validity windows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listing exceptions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the reason categories in use</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the exceptions shown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looking for the next validity window to end</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::ExceptionRequest</name>
    <message>
        <source>%1 is not a field of a request; a request has %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 must be a string.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not an ISO-8601 time with an offset (2026-03-04T09:00:00Z): &quot;%2&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::ExceptionValidator</name>
    <message>
        <source>%1 must not be blank.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>record_id &quot;%1&quot; is malformed: expected exc- followed by 12 lower-case hex digits.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>apply_time is missing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>valid_start_time is missing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>valid_end_time is missing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>valid_end_time (%1) must be after valid_start_time (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>attachment_url &quot;%1&quot; is not an http(s) address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A rejected exception must carry a rejection_reason.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>auto_rejected is set but the status is not rejected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>version must be 1 or more.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has %2 characters; at most %3 are allowed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 contains a NUL character (U+0000), which cannot be stored.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>target_id must have 1 to 128 characters, none of them spaces, control characters or invisible marks.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reason_category must not hold a control, tab or invisible character.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2) must be from %3 to %4.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>valid_end_time: the validity window from %1 to %2 is longer than %3 days.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>target_type &quot;%1&quot; is not one of %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>risk_rule_id &quot;%1&quot; is not a rule of tenant %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rule %1 (%2) is not active: it takes no new requests.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Rule %1 allows a validity window of at most %n day(s); this one ends %2.</source>
        <translation>
            <numerusform>Rule %1 allows a validity window of at most %n day; this one ends %2.</numerusform>
            <numerusform>Rule %1 allows a validity window of at most %n days; this one ends %2.</numerusform>
        </translation>
    </message>
    <message>
        <source>valid_end_time (%1) has passed: a request&apos;s window must still be open when it is filed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>justification contains a control character (%1); remove it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>target_type &quot;%1&quot; does not match rule %2 (%3), which is for %4 targets. Choose a rule for this kind of target, or the kind of target the rule is for.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::FinanceBoard</name>
    <message>
        <source>Accrued revenue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discounts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coach service income</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cash inflow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cash outflow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Net cash flow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stored-value recharge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stored-value balance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The trend&apos;s granularity must be day, week or month, not &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finance board</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Metric</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prepaid funds roll-forward</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discount breakdown against K2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coach service accrued revenue against K3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Consumption tenders against K1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Platform gross settled less fee against net received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Platform: gross settled %1 (cash inflow) − fee %2 (cash outflow) = net received %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coach pay is recorded as the expense summary records it (cash or accrual: to be confirmed by the data owner).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The finance board prints its sections whole: there is no page %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The coach service income is too large to add up.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The finance board has fixed sections: --dimension, --skill, --search and --sort do not apply to it (a drill-down sorts by any of its columns).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closing balances and active cards are those of %1, the last day loaded.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::FinanceCashInflow</name>
    <message>
        <source>Reading the cash inflow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cash inflow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bucket</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Share</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Total</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tenders not counted as cash inflow (rule 7)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tender</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why it is excluded</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::FinanceCashOutflow</name>
    <message>
        <source>Reading the cash outflow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the platform settlements</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cash outflow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Share of outflow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Total</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::FinanceCoachAnalysis</name>
    <message>
        <source>Reading the coaches&apos; monthly pay by tier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Basic course income</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Incentive course income</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Incentive share</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sprint bonus</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gross pay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Basic hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Effective hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coaches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gross pay per coach</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coach service income (K3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Course-cost ratio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coach analysis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coach analysis by tier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no salary rows for this month yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Calendar-month basis: the coach analysis counts the whole of %1, not only this period&apos;s days.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::FinanceDrill</name>
    <message>
        <source>Business day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gross</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accrued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discount type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Card</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active cards</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coach</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service income</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cash inflow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cash outflow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Net cash flow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Salary month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coaches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no KPI &quot;%1&quot; (K1 to K8).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is computed from other cells; drill those instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no cell &quot;%1:%2:%3&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no inflow bucket &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no excluded tender &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no card type &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No bucket of the trend starts on &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a row of %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drill a cell as kpi:K1 … kpi:K8, or SECTION:COLUMN:ROW with the row&apos;s id or &quot;total&quot; (e.g. revenue:accrued:table, outflow:amount:personnel/staff, prepaid:closing:stored_value, trend:k4:2026-05-11, coach:basic:2026-05-01).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a cell.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the rows of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finance board: rows of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rows of %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Total</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>too large to add up exactly</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot sort this drill-down by &quot;%1&quot;; choose one of: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The sort direction &quot;%1&quot; is not asc or desc.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot sort this drill-down by &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Voided</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Voided rows are listed greyed out; they are never counted in the sums.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>voided</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the rows %1 can drill</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has no row &quot;%2&quot;; the rows it can drill are %3 and total.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, </source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::FinanceLabels</name>
    <message>
        <source>Table fees</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coach service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Goods &amp; drinks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Member discount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Group-buy voucher</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rounding-off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WeChat Pay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alipay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bank card</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stored-value recharge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Platform settlement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stored-value card payment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gift card payment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Group-buy voucher redemption</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Personnel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Operating expenses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Purchases</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Platform fees</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coach course cost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other staff pay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Utilities</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Maintenance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Consumables</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Goods for resale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Meituan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Douyin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stored-value card</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gift card</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>its cash was counted when the card was recharged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>gift value is never cash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>counted when the platform settles</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::FinancePrepaidMatrix</name>
    <message>
        <source>Reading the prepaid funds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prepaid funds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Card</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opening balance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Additions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Consumption</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refunds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adjustments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closing balance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active cards</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Roll-forward</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reconciles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (difference %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Total</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prepaid total</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>opening balance (no closing balance is recorded for %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>opening balance of %1 (no closing balance is recorded for %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, </source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::FinanceRevenueStructure</name>
    <message>
        <source>Reading the revenue structure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The revenue of the period is too large to add up exactly.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the discount breakdown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accrued revenue structure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gross</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accrued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Share</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous accrued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Total</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discounts by type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discount type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>too large to add up exactly</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::FinanceSource</name>
    <message>
        <source>Reading the coach service income</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::FinanceTrend</name>
    <message>
        <source>Reading the daily trend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trend of accrued revenue, cash inflow and cash outflow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accrued revenue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cash inflow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cash outflow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>By day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>By week (Monday to Sunday)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>By calendar month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Total</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trend of the previous period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The week of %1 holds %2 of its %3 days (%4 ~ %5): its figures are partial.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 holds %2 of its %3 days (%4 ~ %5): its figures are partial.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::FlowDiagramView</name>
    <message>
        <source>Rule flow diagram</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No rule to draw</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fit to window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export SVG…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the diagram as SVG</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SVG images (*.svg)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export PNG…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the diagram as PNG</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>True for this case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>False for this case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undecided for this case: facts are missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rule flow diagram: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::FlowExport</name>
    <message>
        <source>%1 flow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A read-only risk rule flow diagram showing field facts, set intersections, date ranges, exception wording and the hit path.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::FlowLayout</name>
    <message>
        <source>Read the rule&apos;s fields and normalise them into facts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Field facts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Business input</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Conditions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hit logic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Continue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>RULE FLOW</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::FlowSpecBuilder</name>
    <message>
        <source>Travel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expenses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Payments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merchants</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Insurance claims</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Risk rule decision flow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Business document submitted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read the rule&apos;s fields</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No risk hit, continue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 hit, to manual review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decision</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>; %n more decision node(s) summarised by the hit logic</source>
        <translation>
            <numerusform>; %n more decision node summarised by the hit logic</numerusform>
            <numerusform>; %n more decision nodes summarised by the hit logic</numerusform>
        </translation>
    </message>
    <message>
        <source>Decide whether the risk is hit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decide by the rule&apos;s fields</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rule fields</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::FlowWording</name>
    <message>
        <source>, </source>
        <comment>between the items of a list of fields or keywords</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>field set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 not in [%2, %3]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>threshold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has a repeated value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keywords</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 does not contain %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 contains %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>any of %1 has a value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all of %1 have values</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rule condition</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ∩ %2 = ∅ with no explanation, or a route city nothing explains</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::GuiLauncher</name>
    <message>
        <source>The workspace %1 has no users yet. Create a demo with: riskdesk demo --workspace %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The workspace %1 has no users or exceptions yet.

Create demo data to try Riskdesk?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>riskdesk: cannot write the screenshot to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>riskdesk: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Riskdesk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Receiving the workspace from the server…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First sync</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Receiving the workspace from the server… %1 exceptions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot reach the server yet; trying again.
%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no workspace at %1.

Create a demo workspace there to try Riskdesk?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no workspace at %1. Create one with: riskdesk demo --workspace %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No workspace yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The backend login &quot;%1&quot; is not a member of tenant %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>With a backend you work as its login: &quot;%1&quot; is %2 here, so --user %3 is refused.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no tenant &quot;%1&quot; in %2 (its tenants: %3).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no user &quot;%1&quot; in %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User &quot;%1&quot; is not a member of tenant &quot;%2&quot; (their tenants: %3).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::IdentityMark</name>
    <message>
        <source>Identity asserted on this desktop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backend login</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The user was picked from this workspace&apos;s list (or named on the command line) with no backend to check who it was. The mark is covered by the entry&apos;s hash.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The desktop was signed in to the backend as this user, the password checked by the server. The server&apos;s own log is the proof of it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Written before identities were recorded, or by the system.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An identity mark this version does not know: &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::ImpactPreview</name>
    <message>
        <source>pass</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pass with monitoring</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>needs supplement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>manual review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reject</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::IntimacyLevels</name>
    <message>
        <source>Reading the intimacy levels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Intimacy scores outside 0–100: check the level configuration.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::Invocation</name>
    <message>
        <source>--lang must be en or zh_CN, not &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is given more than once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown option %1. See: riskdesk --help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 needs a value.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown command &quot;%1&quot;. See: riskdesk --help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There are no benchmarks in riskdesk: they are in riskdesk-bench, built with the sources (see riskdesk-bench --help).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::JsonDuplicateKeys</name>
    <message>
        <source>the key &quot;%1&quot; is written twice in one object (again at byte %2), so which value is meant is not clear.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::JsonInputFile</name>
    <message>
        <source>Cannot read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is empty: it must hold %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not valid JSON: %2 near %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 must hold %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>line %1, column %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::LogActionText</name>
    <message>
        <source>Approved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Withdrawn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rejected automatically</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expired</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::MainWindow</name>
    <message>
        <source>Riskdesk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tenant:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active tenant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Switch user…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approval log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Switch user…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review &amp;queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approval &amp;log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Workspace: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>R&amp;ules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Backend…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a PostgreSQL URL; it starts with postgresql://</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First sync: %1 exceptions received…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source> · %n conflict(s)</source>
        <translation>
            <numerusform> · %n conflict</numerusform>
            <numerusform> · %n conflicts</numerusform>
        </translation>
    </message>
    <message>
        <source>Last error: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source> · preparing the queue (%n index(es) left)</source>
        <translation>
            <numerusform> · preparing the queue (%n index left)</numerusform>
            <numerusform> · preparing the queue (%n indexes left)</numerusform>
        </translation>
    </message>
    <message>
        <source> · building the search index (%1%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The first sync&apos;s rows are all here; until their indexes are built, sorting and searching work but take longer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Local workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>No backend is set: decisions stay in this workspace. File → Backend… connects one; %n decision(s) made here would then be sent to it.</source>
        <translation>
            <numerusform>No backend is set: decisions stay in this workspace. File → Backend… connects one; %n decision made here would then be sent to it.</numerusform>
            <numerusform>No backend is set: decisions stay in this workspace. File → Backend… connects one; %n decisions made here would then be sent to it.</numerusform>
        </translation>
    </message>
    <message>
        <source>Workspace: %1 (read-only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚠ No decisions can be made here. %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Boards</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Boards</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About Riskdesk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About Riskdesk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Riskdesk %1
Risk exceptions, boards and audit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed in as %1 (%2) · %3 · backend login %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server checked this login&apos;s password; it accepts decisions from this login only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed in as %1 (%2) · %3 · identity asserted on this desktop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Picked from this workspace&apos;s list, with no backend to check it: every decision made here is marked in the approval log as identity asserted on this desktop.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The shared server, e.g. postgresql://li.wei@db.example.com:5432/riskdesk
You then sign in as that login: its password is asked for and kept in this desktop&apos;s keychain, never in a settings file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New request…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File a request for an exception to a risk rule (Ctrl+N)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only applicants and approvers file requests.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No requests can be filed here. %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is filed: pending, waiting to be sent to the server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source> · %n waiting</source>
        <translation>
            <numerusform> · %n waiting</numerusform>
            <numerusform> · %n waiting</numerusform>
        </translation>
    </message>
    <message>
        <source>Online · synced %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Online</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) made here wait to be pushed to the server (decisions, requests, comments and assignments).</source>
        <translation>
            <numerusform>%n change made here waits to be pushed to the server (decisions, requests, comments and assignments).</numerusform>
            <numerusform>%n changes made here wait to be pushed to the server (decisions, requests, comments and assignments).</numerusform>
        </translation>
    </message>
    <message>
        <source>Every change made here has been pushed to the server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <comment>board title — the clicked figure</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Switch user</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>You have %n comment(s) or rejection reason(s) typed and not sent. The next person to sign in is not shown them, so they are discarded.</source>
        <translation>
            <numerusform>You have %n comment or rejection reason typed and not sent. The next person to sign in is not shown it, so it is discarded.</numerusform>
            <numerusform>You have %n comments or rejection reasons typed and not sent. The next person to sign in is not shown them, so they are discarded.</numerusform>
        </translation>
    </message>
    <message>
        <source>Discard and switch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit Riskdesk</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>You have %n comment(s) or rejection reason(s) typed and not sent. They are not kept when Riskdesk quits.</source>
        <translation>
            <numerusform>You have %n comment or rejection reason typed and not sent. It is not kept when Riskdesk quits.</numerusform>
            <numerusform>You have %n comments or rejection reasons typed and not sent. They are not kept when Riskdesk quits.</numerusform>
        </translation>
    </message>
    <message>
        <source>Discard and quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review queue
Up / Down: move through the queue
Shift+Up / Shift+Down, Shift+click, Ctrl+click: select several exceptions
A or Ctrl+Return: approve the selected exception; with several selected, this key and the panel&apos;s Approve ask you to confirm them all
R or Ctrl+Shift+Return: reject it (asks for a reason); with several selected, the same
Ctrl+Shift+M: claim it; Ctrl+Shift+A: assign it; Ctrl+Shift+U: release it; Ctrl+Shift+E: escalate it to a lead
Ctrl+Return in a comment: send the comment (it does not approve)
Ctrl+F: search; Esc: clear the search
Ctrl+N: new request

Approval log
Enter or double-click on an entry: open its exception in the queue

Everywhere
F5: refresh; Ctrl+1 / Ctrl+2 / Ctrl+3 / Ctrl+4: queue / approval log / rules / boards
In a diagram: Ctrl+wheel or +/- zoom, 0 fits, arrows or dragging pan
Ctrl+Q: quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is filed: pending.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Switched to %1: %2 is one of its exceptions.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::MoneyFormat</name>
    <message>
        <source>&quot;%1&quot; is not an amount of yuan; write digits with at most two decimals, e.g. 1234.50.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::NameCollation</name>
    <message>
        <source>The connection is not an SQLite database.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not set up the order of names: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::NativeStatement</name>
    <message>
        <source>The workspace connection is not SQLite.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preparing a statement failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing to the workspace failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the workspace</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::NewRequestDialog</name>
    <message>
        <source>New request in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ask for an exception to a risk rule for one target during a validity window. An approver decides; you can withdraw it while it is pending.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target &amp;type:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. CLM-20260304-0017</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target &amp;id:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading the rules…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Rule:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Valid &amp;from:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Valid &amp;until:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason &amp;category:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why the rule should not apply to this target for this time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Justification:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drop files here, or add them with the button.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add files…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;move</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Images, PDF, text or CSV; at most %1 each.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attac&amp;hments:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The chosen rule&apos;s flow diagram</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+Return</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a rule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %2 (inactive)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Severity: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This rule is not active: it takes no new requests.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>A window of at most %n day(s).</source>
        <translation>
            <numerusform>A window of at most %n day.</numerusform>
            <numerusform>A window of at most %n days.</numerusform>
        </translation>
    </message>
    <message>
        <source>Attach files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Images, PDF, text and CSV (*.png *.jpg *.jpeg *.gif *.webp *.bmp *.tif *.tiff *.pdf *.txt *.csv);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %2 · %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a category in use, or type a new one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose one in use, or type a new one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has the same content as %2, which is attached already.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>For %1 targets.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Click to see the diagram large</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rule flow: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::OverwriteGuard</name>
    <message>
        <source>%1 is the file this command reads; name another file for its output.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is a database (a Riskdesk workspace or another SQLite file); an export never replaces one. Name another file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 belongs to the database %2; an export never replaces it. Name another file.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::PeriodChange</name>
    <message>
        <source>%1 pp</source>
        <comment>a difference of rates in percentage points</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>new</source>
        <comment>period-over-period when the previous period was zero</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>previous period was 0</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no data for the current period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no data for the previous period</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::PgConnection</name>
    <message>
        <source>Cannot reach the server: out of memory.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot connect to the server: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A server query</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A server script</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading rows from the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing rows to the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value %1 contains a NUL character (U+0000), which the server cannot store; it was not sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The statement contains a NUL character (U+0000); it was not sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stopped before the server answered.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no answer within %1 s.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::QueueFactsRederive</name>
    <message>
        <source>Preparing the risk-operations facts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deriving the risk-operations facts from the server&apos;s log</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::QueueFormatting</name>
    <message numerus="yes">
        <source>%n min</source>
        <translation>
            <numerusform>%n min</numerusform>
            <numerusform>%n min</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h</source>
        <translation>
            <numerusform>%n h</numerusform>
            <numerusform>%n h</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n d</source>
        <translation>
            <numerusform>%n d</numerusform>
            <numerusform>%n d</numerusform>
        </translation>
    </message>
    <message>
        <source>ended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in &lt; 1 min</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::QueuePage</name>
    <message>
        <source>Status filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rule filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target type filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All targets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applicant filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search id, target, applicant, justification… (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exception queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not read the queue: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n request(s) whose validity window ended were closed automatically.</source>
        <translation>
            <numerusform>%n request whose validity window ended was closed automatically.</numerusform>
            <numerusform>%n requests whose validity window ended were closed automatically.</numerusform>
        </translation>
    </message>
    <message>
        <source>All rules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All applicants</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n exception(s) shown; scroll for more</source>
        <translation>
            <numerusform>%n exception shown; scroll for more</numerusform>
            <numerusform>%n exceptions shown; scroll for more</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n exception(s)</source>
        <translation>
            <numerusform>%n exception</numerusform>
            <numerusform>%n exceptions</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n pending</source>
        <translation>
            <numerusform>%n pending</numerusform>
            <numerusform>%n pending</numerusform>
        </translation>
    </message>
    <message>
        <source>Pending exceptions in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is now %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step %1 recorded; %2 now goes to %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>another approver</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No exception matches these filters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There are no exceptions in %1 yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Showing %1 from the board. Clear the filters to see the whole queue.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select all matching</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approve selected…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reject selected…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>All %n exception(s) matching the filters are selected.</source>
        <translation>
            <numerusform>The %n exception matching the filters is selected.</numerusform>
            <numerusform>All %n exceptions matching the filters are selected.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n selected.</source>
        <translation>
            <numerusform>%n selected.</numerusform>
            <numerusform>%n selected.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Select all %n matching</source>
        <translation>
            <numerusform>Select the %n matching</numerusform>
            <numerusform>Select all %n matching</numerusform>
        </translation>
    </message>
    <message>
        <source>Reading the selected exceptions…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deciding %1 of %2…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assignment filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Anyone&apos;s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assigned to me</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unassigned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Claim (assign to me)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assign to…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Release</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Escalate to a lead…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assign to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Escalate to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No lead in this tenant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only exceptions past their SLA are escalated.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is released; nobody is assigned.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is escalated to %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is assigned to %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Withdraw the request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Withdraw %1? Nobody can decide it after that, and the withdrawal is kept in the approval log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Withdraw</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your comment on %1 was not saved: %2 It is kept as a draft there.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n request(s) in the list changed outside this window (another desktop or the command line); their rows show it now.</source>
        <translation>
            <numerusform>%n request in the list changed outside this window (another desktop or the command line); its row shows it now.</numerusform>
            <numerusform>%n requests in the list changed outside this window (another desktop or the command line); their rows show it now.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 was %2 outside this window meanwhile; it can no longer be rejected here. Your text stays here to be copied.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only pending exceptions are assigned, and only by approvers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only pending exceptions are escalated, and only by approvers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Routed to %1: only they can decide it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The validity window of %1 ended before it was decided, so it was closed automatically (%2); it can no longer be rejected here. Your text stays here to be copied.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The validity window of %1 ended, so it was closed automatically.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests whose validity window ended could not be closed yet: another Riskdesk window or command is writing to the workspace. Riskdesk tries again in a minute.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests whose validity window ended could not be closed: %1 Riskdesk tries again in a minute.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recording the decision on %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 was not decided: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approving %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rejecting %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Withdrawing %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The decision on %1 is still being recorded: the key was not taken. Press it again when it is done.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 It is kept as a draft on %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving your comment on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving your comment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changing who is assigned %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::ReconciliationWarning</name>
    <message>
        <source>Does not reconcile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rule difference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot reconcile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2. Expected %3, found %4 (difference %5).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2, because a figure it needs is missing (—).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>opening balance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>additions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>consumption</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>refunds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>adjustments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>closing balance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2. Missing: %3.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::RejectDialog</name>
    <message>
        <source>Reject %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rejection reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. The attachment does not explain the route through Nanjing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A rejection needs a reason. Say what is missing or wrong.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+Return</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why is %1 rejected? The applicant and the auditors will read this (at most %2 characters). Ctrl+Return rejects.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The reason has %1 characters; at most %2 are allowed. Shorten it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your earlier reason, not sent yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The reason contains %1, which cannot be stored. Remove it.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::RenderRuleCommand</name>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Draws a risk rule&apos;s flow diagram.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A rule payload: name, params, metadata, and optionally fields, severity, domain and flow_model.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write the diagram as SVG.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write the diagram as PNG.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG scale, from 0.25 to 8 (default 2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use the palette for dark backgrounds.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print the built spec as JSON instead of drawing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>With --all: the workspace whose rules to render.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Render every rule of the workspace (SVG and PNG) into --out.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>With --all: the folder to write into (made if missing).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--scale must be a number from 0.25 to 8, not &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--all needs --workspace PATH and --out DIR.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no workspace at %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot make the folder %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n rule(s) rendered into %1.</source>
        <translation>
            <numerusform>%n rule rendered into %1.</numerusform>
            <numerusform>%n rules rendered into %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>Name one rule file: riskdesk render-rule RULE.json --svg OUT.svg</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Say what to write: --svg OUT.svg, --png OUT.png, or --spec.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>one rule payload (a JSON object)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::RequestService</name>
    <message>
        <source>%1 is %2 in tenant %3; only applicants and approvers file requests.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give attachment_url or attach files, not both.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) attached; a request takes at most %1.</source>
        <translation>
            <numerusform>%n file attached; a request takes at most %1.</numerusform>
            <numerusform>%n files attached; a request takes at most %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>Keeping the request&apos;s attachments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the request&apos;s attachments</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::RiskExceptionCodec</name>
    <message>
        <source>%1 must be an object.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>target_type &quot;%1&quot; is not one of: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>status &quot;%1&quot; is not one of: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>approval_chain_log must be a list.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is missing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 must be a string.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not an ISO-8601 timestamp: &quot;%2&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 must be true or false.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 must be a whole number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 must be a whole number from %2 to %3.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::RiskOpsBoard</name>
    <message>
        <source>the rate overflows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Auto-rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Critical</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>High</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Medium</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Low</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt; 4 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>4–24 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1–3 d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&gt; 3 d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the rule outcomes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exception</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Severity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Final decision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Age</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time to decision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exceptions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Total</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no cell &quot;%1&quot; to drill into; try Q1, Q3, Q5, Q6:approve, Q14:&lt;approver&gt;, Q17:&lt;rule&gt;, pending:&lt;YYYY-MM-DD&gt; or decisions:&lt;YYYY-MM-DD&gt;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rule outcomes must be backfilled first (riskdesk demo does it for the demo data).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The risk-operations board has no text search; use its filters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Risk operations: rows of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exceptions of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log entries of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status after</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step latency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rule outcomes of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Event</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Occurred</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waived</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Risk operations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No SLA targets configured: defaults used (critical 4 h, high 8 h, medium 24 h, low 72 h)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PoP at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pending now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queue age p50</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queue age p90</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queue age max</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pending past SLA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expiring within 24 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Intake</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decisions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decisions: approved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decisions: rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decisions: auto-rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approval rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Manual approval rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Auto-rejection rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SLA met rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time to decision p50</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time to decision p90</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time to decision p50 (manual)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time to decision p90 (manual)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time to first action p50</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Four-eyes compliance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Integrity alarm: four-eyes compliance is below 100% (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rule hit rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supplement rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unreadable events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waived hits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waived amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exceptions per hit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Engine assessments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mean risk score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queue age at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SLA and time to decision by severity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SLA target (min)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Met</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>p50</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>p90</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time to decision by rule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Four-eyes violations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approvers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>High and critical approvals in the period: %1; with two distinct approvers: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approver workload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approver</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Actions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Final decisions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step latency p50</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (you)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rule outcomes by rule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needs supplement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unreadable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hit rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rule outcomes are events, not exceptions: the reason category and approver filters do not apply to them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unreadable events (a field the rule needs was missing) are counted apart, never as passes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Engine decisions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decision or level</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assessments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Risk level</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Engine assessments belong to no exception: the board&apos;s filters do not apply to them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Top reason categories</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All categories</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log integrity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entries checked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checked at</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>intact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>broken</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This desktop&apos;s log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server log (last sync)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Integrity alarm: the approval log chain is broken (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pending at the end of each day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decisions per day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time to decision p50 per week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decisions by weekday and hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Final decisions of the period; hours in UTC, as the board&apos;s days.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not verified</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not verified in this workspace yet: verify it on the approval log page or with riskdesk log verify.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The risk-operations board has fixed orders; --sort is available for its drill-downs only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This desktop</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::RiskOpsHistory</name>
    <message>
        <source>Reading the exception queue&apos;s history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--severity must be low, medium, high or critical, not &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--target-type must be one of %1, not &quot;%2&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tenant %1 has no rule &quot;%2&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tenant %1 has no user &quot;%2&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The approval log has a step on an exception this workspace does not have.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the approval chains of the four-eyes violations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tenant %1 has no exception of the reason category &quot;%2&quot;; it has no exceptions yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tenant %1 has no exception of the reason category &quot;%2&quot;; its categories are: %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, </source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::RuleEvaluator</name>
    <message>
        <source>Rule &quot;%1&quot;: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rule &quot;%1&quot;, condition %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the case has no field %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 lists no fields.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>numeric_compare needs right_fields, or a numeric threshold or value.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown comparison &quot;%1&quot; (use gt, gte, lt, lte, eq or ne).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keywords lists no words.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the condition has no operator.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown operator &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hit_logic has an empty %1 list.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hit_logic must be a condition id, a list, or {all|any|not: …}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hit_logic &quot;%1&quot; ends too early.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hit_logic &quot;%1&quot; misses a closing parenthesis.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hit_logic names &quot;%1&quot;, which is not a condition of this rule.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hit_logic &quot;%1&quot; has more after &quot;%2&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>params.conditions must be a non-empty list.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the condition is not an object.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>two conditions have this id.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a date or the range is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the range [%1, %2] is not made of dates.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a date.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all of %1 in [%2, %3]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 outside [%2, %3]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no value repeats</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>repeated: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none of %1 found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>found %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>present %1; absent %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>needs supplement: %1 is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; unexplained route cities %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; the reason mentions %1 (evidence for the approver, not an automatic pass)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hit_logic has an object with %1 keys; each {…} takes exactly one of all, any or not.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hit_logic&apos;s not takes one condition id or one {…}, not a list; for NOT (C1 AND C2) write {&quot;not&quot;: {&quot;all&quot;: [&quot;C1&quot;, &quot;C2&quot;]}}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hit_logic is empty: combine the conditions (e.g. &quot;C1 AND C2&quot;), or leave hit_logic out to require all of them.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::RuleLibraryPage</name>
    <message>
        <source>Rules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Severity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Domain</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n rule(s) in %1</source>
        <translation>
            <numerusform>%n rule in %1</numerusform>
            <numerusform>%n rules in %1</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 · %2 · %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::RuleOutcomeBackfill</name>
    <message>
        <source>Backfilling the rule outcomes of tenant %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::RuleRecognizer</name>
    <message>
        <source>low risk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>medium risk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>high risk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>critical risk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>risk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Formula: A = ticket route cities ∪ hotel invoice city, B = declared destination ∪ item locations; if A or B is empty, ask for the missing information; if A and B do not meet and nothing explains it, or the ticket route has an extra city that neither the tickets&apos; start and end nor the declared destination explains, the destination mismatch / route anomaly risk is hit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Travel claim submitted, with transport tickets, hotel invoices or other attachments that name cities</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read the declared destination, item locations, ticket route cities, hotel invoice city and the claim reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Do the attachments&apos; cities cover the declared trip, and does the ticket route pass through a city that neither its start and end nor the declared destination explains?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The tickets&apos; cities cover the declared trip and the route has no unexplained city</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The ticket route has a destination mismatch or an extra transit city: %1 hit; ask for an explanation or send the claim back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is not a city-consistency rule: it needs the tickets&apos; cities, the declared place, and a relation between them or a route anomaly.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is a question, not a rule: state when the risk is hit, e.g. &quot;出差城市与行程城市不一致&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The comparison is negated (&quot;%1&quot;): state when the risk is hit, e.g. &quot;出差城市与行程城市不一致&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is compared with itself: name two different places, e.g. &quot;出差城市与行程城市不一致&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is a condition this recogniser does not understand: only the cities would be compared and it would be dropped. Leave it out, or write the rule&apos;s conditions out in a rule file.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::RulesCommand</name>
    <message>
        <source>Evaluates a rule against case records, one JSON object per line.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The rule payload (name, params with conditions and hit_logic).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Case records, one JSON object per line (- for standard input).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rules eval needs --rule RULE.json and --cases CASES.jsonl.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recognises a travel-route city-consistency rule from its text.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>low, medium, high or critical (default: high).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give the rule&apos;s text, e.g.: riskdesk rules recognize &quot;交通票行程城市与申报目的地不一致&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--risk-level must be low, medium, high or critical, not &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The rule as a person wrote it (in quotes when it has spaces).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Line %1 must be one case record (a JSON object).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Line %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>one rule payload (a JSON object)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Line %1 is not valid JSON: %2 near column %3.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::SaveFileDialog</name>
    <message>
        <source>%1 already exists. Replace it?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ends in .%2, but this export writes a .%3 file: name it %4.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” cannot be a file name here: quotation marks, * and ? are read as a list of names or a pattern, not as part of one name. Name the file without them.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::ScoreCommand</name>
    <message>
        <source>Assesses transactions: one JSON request per input line.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON Lines file of requests (- for standard input).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where to write the responses (default: standard output).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A policy file (default: the tenant&apos;s, or the reference policy).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rows &quot;user,ID&quot; or &quot;merchant,ID&quot; to refuse.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep the ledger and the assessment log in this workspace.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The tenant whose ledger and policy to use (default: default).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--input REQUESTS.jsonl is required.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write to standard output.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Line %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>riskdesk: %n line(s) could not be assessed; see their error lines.</source>
        <translation>
            <numerusform>riskdesk: %n line could not be assessed; see their error lines.</numerusform>
            <numerusform>riskdesk: %n lines could not be assessed; see their error lines.</numerusform>
        </translation>
    </message>
    <message>
        <source>--tenant needs --workspace PATH: without a workspace nothing is kept per tenant.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This workspace has no tenant &quot;%1&quot;; it has no tenants at all, so leave --tenant out.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no tenant &quot;%1&quot; in this workspace (tenants: %2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Say whose assessments these are: --tenant T (tenants: %1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a request must be a JSON object {…}, not an array or a value.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no workspace at %1. Make an empty one for the ledger with: riskdesk workspace create --workspace %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>one policy (a JSON object)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not valid JSON: %1 near column %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 holds no requests (one JSON object per line), so nothing was assessed.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::SectionOutcome</name>
    <message>
        <source>Part of the data is unavailable (retry)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This section could not be loaded: %1 (retry)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No data: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::ServerAdmin</name>
    <message>
        <source>The server migration %1 is missing from this build.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server migration %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the workspace&apos;s tenants</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the workspace&apos;s rules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the workspace&apos;s exceptions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (pid %2, %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none any more (they have finished since)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server migration %1 waited %2 s for tables in use and was rolled back; nothing changed. Sessions holding them: %3. Ask these users to close Riskdesk (or end the sessions with pg_terminate_backend) and migrate again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the workspace&apos;s request files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the workspace&apos;s SLA policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the workspace&apos;s leads</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::ServerCommand</name>
    <message>
        <source>The server, postgresql://user:password@host:port/database (default: $RISKDESK_URL).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applies the server&apos;s schema migrations (as the owner role).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>applicant, approver, auditor or finance.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The tenant the user works in (made if missing).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The user&apos;s id in the tenant (default: the login name).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The login role to create.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Creates a login role for one user and tenant. The password comes from $RISKDESK_NEW_PASSWORD, or is generated and printed once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The workspace whose tenants, rules and exceptions to copy.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copies a workspace&apos;s tenants, rules and exceptions to an empty server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown command &quot;db %1&quot;; available: db migrate, db add-user, db seed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--url URL (or RISKDESK_URL) is required.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n migration(s) applied; the server schema is at version %1.</source>
        <translation>
            <numerusform>%n migration applied; the server schema is at version %1.</numerusform>
            <numerusform>%n migrations applied; the server schema is at version %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>Use: riskdesk db add-user --url URL NAME --role applicant|approver|auditor|finance --tenant T</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is %2 %3 in tenant %4.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--workspace PATH must name an existing workspace.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n exception(s) copied to the server in %1 s.</source>
        <translation>
            <numerusform>%n exception copied to the server in %1 s.</numerusform>
            <numerusform>%n exceptions copied to the server in %1 s.</numerusform>
        </translation>
    </message>
    <message>
        <source>The workspace to sync.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Push and pull once, then stop (default: keep syncing, woken by the server).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pushes this workspace&apos;s decisions and pulls the server&apos;s changes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--workspace PATH is required.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline: %1; retrying in %2 s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  %1 rows pulled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pushed %1, refused %2, conflicts %3; pulled %4 in %5 s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This server login sees no tenant &quot;%1&quot; (it sees: %2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (server): %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The user&apos;s name as people read it (default: the user id).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  building the search index: %1%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Indexes and search index built in %1 s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>  building indexes: %n left</source>
        <translation>
            <numerusform>  building indexes: %n left</numerusform>
            <numerusform>  building indexes: %n left</numerusform>
        </translation>
    </message>
    <message>
        <source>A site of the tenant whose board data a finance user may read (repeatable).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--site grants board data, which only finance users read.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a site id (1 to 128 characters, no spaces).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 may read the board data of site(s) %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Board data: %n partition(s) and %1 tenant-wide dataset(s) replaced, %2 rows.</source>
        <translation>
            <numerusform>Board data: %n partition and %1 tenant-wide dataset(s) replaced, %2 rows.</numerusform>
            <numerusform>Board data: %n partitions and %1 tenant-wide dataset(s) replaced, %2 rows.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) wait in the outbox; the lines above say for whom.</source>
        <translation>
            <numerusform>%n change waits in the outbox; the lines above say for whom.</numerusform>
            <numerusform>%n changes wait in the outbox; the lines above say for whom.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>riskdesk::ServerLog</name>
    <message>
        <source>The server has no identity; run riskdesk db migrate.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::ServiceLogSummaries</name>
    <message>
        <source>Summarising the service logs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking the service-log summaries</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::ShareRounding</name>
    <message>
        <source>Row %1 is negative (%2); shares need parts of zero or more.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The parts are too large to add up exactly.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The parts add up to zero, so they have no shares.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A share of %1 cannot be divided.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::SignInDialog</name>
    <message>
        <source>Sign in to Riskdesk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who is working? Pick yourself and the tenant to work in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Users</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2) — %3 in %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::SiteClock</name>
    <message>
        <source>The time zone &quot;%1&quot; is not known; use an IANA name such as Asia/Shanghai.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The business-day cut-off must be a time from 00:00 to 23:59, not %1 minutes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No business day configured; calendar days used</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::SiteDataStart</name>
    <message>
        <source>%1: &quot;%2&quot; is not a day.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the first day of the site&apos;s data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the first day of the site&apos;s service logs</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::SkillBoard</name>
    <message>
        <source>Reading the skill types</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the service logs&apos; skill names</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not configured (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skill types</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skill filter of the coach board</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skill</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Defined for</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this site</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>every site</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disabled (not offered, still counted under All): %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skill names in the service logs with no skill type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service logs</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::SlaTarget</name>
    <message numerus="yes">
        <source>%n d</source>
        <translation>
            <numerusform>%n d</numerusform>
            <numerusform>%n d</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h</source>
        <translation>
            <numerusform>%n h</numerusform>
            <numerusform>%n h</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n min</source>
        <translation>
            <numerusform>%n min</numerusform>
            <numerusform>%n min</numerusform>
        </translation>
    </message>
    <message>
        <source>past SLA (%1)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::SortCatalog</name>
    <message>
        <source>&quot;%1&quot; is not a plain column name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The sort key &quot;%1&quot; is empty or repeated.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The default sort key &quot;%1&quot; is not in the list.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::SyncEngine</name>
    <message>
        <source>Taking the server&apos;s state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the outbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: conflict, %2 decided first (%3 at %4); yours was not applied.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the server refused it: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recording the server&apos;s answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server has no identity; run riskdesk db migrate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Storing the server&apos;s directory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Storing the server&apos;s exceptions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keeping the sync cursor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server sent an exception row this version cannot read.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the copy of the server&apos;s log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clearing the copy of the server&apos;s log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: not sent; the server applies the end of a validity window itself.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server answered %1 of %2 decisions sent together.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The sync was stopped before it finished; it goes on at the next start.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the server refused the request: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::SyncLogin</name>
    <message>
        <source>%1: waits behind an earlier change to it that this server login cannot send.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: waits; this server login is not a member of tenant %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: made here by %2, but this server login is %3; the server takes changes only from the person who made them, so it waits until %2 syncs with their own login.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::SyncService</name>
    <message>
        <source>The connection to the server was lost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline: the server&apos;s log can be verified once the server is reachable.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::SystemComment</name>
    <message>
        <source>The validity window ended before a decision was made.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The waiver&apos;s validity window ended.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The validity window ended on %1 before a decision was made.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The waiver&apos;s validity window ended on %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Riskdesk (automatic)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::TargetEventBlockCodec</name>
    <message>
        <source>The workspace file is damaged (a stored block of a target&apos;s events %1). Nothing was changed. Restore the file from a backup, or create a new workspace and sync it from the server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>has format version %1; this Riskdesk reads version %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>claims more events than it holds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>claims more texts than it holds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ends inside its texts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>claims more value lists than it holds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ends inside its value lists</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>names a text it does not hold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ends inside event %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>has unknown flags on event %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ends inside the assessment of event %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ends inside the facts of event %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>has the facts of event %1 out of order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>goes on after its last event (%1 more bytes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keeps a number that is not its text&apos;s</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::TargetHistoryStore</name>
    <message>
        <source>Reading the target&apos;s history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the target&apos;s latest assessment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recording the target&apos;s history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>could not be read to its end</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>holds %1 events where its row says %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>is out of order at event %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the targets&apos; histories</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lacks block %1 of the target&apos;s history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>does not end with the target&apos;s last stored event</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::TargetRiskReader</name>
    <message>
        <source>The rule %1 is not in this workspace, so nothing can be replayed.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::TextRules</name>
    <message>
        <source>U+%1 at character %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::WeekdayHourTable</name>
    <message>
        <source>Weekday</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Total</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::Workspace</name>
    <message>
        <source>Cannot create the folder %1 for the workspace.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a workspace file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open the workspace %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a usable workspace (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a Riskdesk workspace.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 was written by a newer Riskdesk (schema %2; this version knows up to %3).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot lock %1 to upgrade it: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Upgrading the workspace to schema %1 failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot commit the schema upgrade: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queueing the decision for sync</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counting queued changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The schema script %1 is missing from this build.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The workspace file is damaged (%1 failed: %2). Nothing was changed. Restore the file from a backup, or create a new workspace and sync it from the server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opening the workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking the workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 was written by an older Riskdesk and must be upgraded, which a read-only workspace cannot be. Open a writable copy of it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a damaged page</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1, and %n more finding(s)</source>
        <translation>
            <numerusform>%1, and %n more finding</numerusform>
            <numerusform>%1, and %n more findings</numerusform>
        </translation>
    </message>
    <message>
        <source>The workspace %1 is damaged (SQLite&apos;s check: %2). Nothing more will be written to it. Restore the file from a backup, or create a new workspace and sync it from the server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The workspace takes no changes: it is open read-only, or was found damaged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting a change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queueing the comment for sync</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queueing the request for sync</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The workspace %1 is open read-only (this user may not write the file or its folder): it can be read and verified, but nothing can be changed or recorded in it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no workspace at %1. Check the path, or create one there: riskdesk workspace create --workspace %1 (empty, to sync from a server), or riskdesk demo --workspace %1 (with demo data).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asking whether %1 changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 gave no data version.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting a read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving to the workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 failed: another Riskdesk window or command was writing to the workspace and did not finish within %2 seconds. Nothing was changed; try again when it is done.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::WorkspaceFileHeader</name>
    <message>
        <source>Cannot read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is an empty file, not a Riskdesk workspace. Open the workspace file itself, or create one with: riskdesk demo --workspace PATH</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a Riskdesk workspace.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The workspace %1 is damaged: its header names no valid page size. Restore the file from a backup, or create a new workspace and sync it from the server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The workspace %1 is damaged: it is cut off (%2 bytes of %3). Restore the file from a backup, or create a new workspace and sync it from the server.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::WorkspaceHealthRecord</name>
    <message>
        <source>The workspace %1 was found damaged on %2 (%3). Nothing more is written to it. Restore the file from a backup, or create a new workspace and sync it from the server; a full check (riskdesk workspace check --full) that finds no damage clears this.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>riskdesk::WorkspaceIdentity</name>
    <message>
        <source>%1 is a copy of %2; its approval log is verified on its own, not against the original&apos;s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is a copy of %2: it now has an identity of its own, and its approval log is verified on its own from here on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recording the workspace&apos;s identity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the workspace&apos;s approval logs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 now holds another workspace (%3) than the one this desktop verified there (%2): its approval log is verified afresh.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the workspace&apos;s identity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 holds no valid workspace identity (&quot;%2&quot;): it is known as %3 from now on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 held workspace %2 when this desktop last opened it, and now says it is workspace %3. The approval log of %4 is checked against what this desktop verified in it then, so entries removed or changed since still show.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is new to this desktop, but its approval log of %2 starts as that of workspace %3, verified here in a file that is no longer where it was: it is checked against what this desktop verified then.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
