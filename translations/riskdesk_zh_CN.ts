<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AttachmentError</name>
    <message>
        <source>The attachment&apos;s address is not an http or https address.</source>
        <translation>附件地址不是 http 或 https 地址。</translation>
    </message>
    <message>
        <source>The server did not answer in time (connection timeout).</source>
        <translation>服务器未及时响应（连接超时）。</translation>
    </message>
    <message>
        <source>The download stalled: no data arrived for too long (transfer timeout).</source>
        <translation>下载停滞：长时间未收到数据（传输超时）。</translation>
    </message>
    <message>
        <source>The attachment is larger than the size limit, so it was not downloaded.</source>
        <translation>附件超过大小上限，未下载。</translation>
    </message>
    <message>
        <source>The server redirected to a less secure address; the redirect was refused.</source>
        <translation>服务器重定向到安全性更低的地址，已拒绝该重定向。</translation>
    </message>
    <message>
        <source>The server redirected too many times.</source>
        <translation>服务器重定向次数过多。</translation>
    </message>
    <message>
        <source>The secure connection failed (TLS); the certificate was not trusted and nothing was downloaded.</source>
        <translation>安全连接失败（TLS）：证书不受信任，未下载任何内容。</translation>
    </message>
    <message>
        <source>The server refused the request (HTTP %1).</source>
        <translation>服务器拒绝了请求（HTTP %1）。</translation>
    </message>
    <message>
        <source>The network failed while fetching the attachment.</source>
        <translation>获取附件时网络出错。</translation>
    </message>
    <message>
        <source>The download was cancelled.</source>
        <translation>下载已取消。</translation>
    </message>
    <message>
        <source>The attachment is not in this workspace and could not be fetched.</source>
        <translation>此工作区中没有该附件，且无法获取。</translation>
    </message>
    <message>
        <source>The workspace could not read or keep the attachment.</source>
        <translation>工作区无法读取或保存该附件。</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1%2</translation>
    </message>
    <message>
        <source>(%1 → %2)</source>
        <translation>（%1 → %2）</translation>
    </message>
    <message>
        <source>(%1 bytes; the limit is %2)</source>
        <translation>（%1 字节；上限为 %2 字节）</translation>
    </message>
    <message>
        <source>(more than %1 bytes)</source>
        <translation>（超过 %1 字节）</translation>
    </message>
    <message>
        <source>(%1 s)</source>
        <translation>（%1 秒）</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Riskdesk: risk exceptions, boards and audit.</source>
        <translation>Riskdesk：风险特例、看板与审计。</translation>
    </message>
    <message>
        <source>The workspace file.</source>
        <translation>工作区文件。</translation>
    </message>
    <message>
        <source>Language: en or zh_CN (default: the system&apos;s).</source>
        <translation>界面语言：en 或 zh_CN（默认跟随系统）。</translation>
    </message>
    <message>
        <source>Sign in as this user.</source>
        <translation>以此用户登录。</translation>
    </message>
    <message>
        <source>Work in this tenant.</source>
        <translation>在此租户下工作。</translation>
    </message>
    <message>
        <source>Render the main window to this PNG file and exit.</source>
        <translation>将主窗口渲染为此 PNG 文件后退出。</translation>
    </message>
    <message>
        <source>Sync with this server (default: $RISKDESK_URL, or the one set in File → Backend…).</source>
        <translation>与此服务器同步（默认：$RISKDESK_URL，或在“文件 → 后端…”中设置的服务器）。</translation>
    </message>
    <message>
        <source>There is no display (DISPLAY and WAYLAND_DISPLAY are not set), and the window needs one. Run a command instead (see riskdesk --help), or draw the window offscreen with --screenshot FILE.png.</source>
        <translation>没有可用的显示（未设置 DISPLAY 或 WAYLAND_DISPLAY），而窗口需要显示才能打开。请改为运行命令（参见 riskdesk --help），或使用 --screenshot FILE.png 在后台绘制窗口。</translation>
    </message>
</context>
<context>
    <name>riskdesk::ApprovalLogCsv</name>
    <message>
        <source>Line %1: a quoted field is never closed.</source>
        <translation>第 %1 行：带引号的字段没有结束。</translation>
    </message>
    <message>
        <source>The file is not UTF-8 text.</source>
        <translation>该文件不是 UTF-8 文本。</translation>
    </message>
    <message>
        <source>Line 1: this is not a Riskdesk approval-log export (its first line must be: %1).</source>
        <translation>第 1 行：这不是 Riskdesk 审批日志的导出文件（第一行应为：%1）。</translation>
    </message>
    <message>
        <source>Line %1: %2</source>
        <translation>第 %1 行：%2</translation>
    </message>
    <message>
        <source>expected %1 fields, found %2.</source>
        <translation>应有 %1 个字段，实际为 %2 个。</translation>
    </message>
    <message>
        <source>seq &quot;%1&quot; is not a whole number of 1 or more.</source>
        <translation>seq“%1”不是大于等于 1 的整数。</translation>
    </message>
    <message>
        <source>step &quot;%1&quot; is not a whole number of 0 or more.</source>
        <translation>step“%1”不是大于等于 0 的整数。</translation>
    </message>
    <message>
        <source>at &quot;%1&quot; is not a UTC time with milliseconds.</source>
        <translation>at“%1”不是精确到毫秒的 UTC 时间。</translation>
    </message>
    <message>
        <source>field %1 is not escaped as the format says.</source>
        <translation>字段 %1 的转义不符合格式规定。</translation>
    </message>
    <message>
        <source>prev_hash and hash must be 64 lowercase hexadecimal digits.</source>
        <translation>prev_hash 和 hash 必须是 64 位小写十六进制数字。</translation>
    </message>
    <message>
        <source>Line %1, %2 entry %3: %4</source>
        <translation>第 %1 行，%2 的第 %3 条：%4</translation>
    </message>
    <message>
        <source>its content does not match its hash; it was changed after it was logged.</source>
        <translation>内容与其哈希不符，记录后被改动过。</translation>
    </message>
    <message>
        <source>the first entry must follow the genesis hash.</source>
        <translation>第一条记录必须接在创世哈希之后。</translation>
    </message>
    <message>
        <source>it comes after entry %1; entries must be in ascending order.</source>
        <translation>它排在第 %1 条之后；记录必须按升序排列。</translation>
    </message>
    <message>
        <source>it does not link to entry %1 before it.</source>
        <translation>它没有链接到前一条（第 %1 条）。</translation>
    </message>
    <message numerus="yes">
        <source>All %n entries are intact, each linked to the one before from the first entry on.</source>
        <translation>
            <numerusform>全部 %n 条记录完好，从第一条起每条都链接到前一条。</numerusform>
        </translation>
    </message>
    <message>
        <source>, not from the first entry</source>
        <translation>，且不是从第一条开始</translation>
    </message>
    <message>
        <source>%1 up to entry %2 (%3…)</source>
        <translation>%1 至第 %2 条（%3…）</translation>
    </message>
    <message>
        <source>The file covers %1; whether entries after those were left out can only be told by comparing the last hash with the head that log verify reports for the workspace.</source>
        <translation>文件涵盖 %1；其后的记录是否被略去，只能将最后一个哈希与 log verify 对工作区报告的链头比较才能判断。</translation>
    </message>
    <message>
        <source>a %1 line must be: %1,&lt;tenant&gt;,&lt;last entry&gt;.</source>
        <translation>%1 行的格式必须是：%1,&lt;租户&gt;,&lt;最后一条&gt;。</translation>
    </message>
    <message>
        <source>a second %1 line for %2.</source>
        <translation>%2 的第二个 %1 行。</translation>
    </message>
    <message>
        <source>an entry after the %1 lines, which end the file.</source>
        <translation>%1 行之后还有条目，而这些行应在文件末尾。</translation>
    </message>
    <message>
        <source>it holds none of its entries.</source>
        <translation>文件中没有它的任何条目。</translation>
    </message>
    <message>
        <source>it starts at entry %1: entries 1 to %2 are missing.</source>
        <translation>文件从第 %1 条开始：缺少第 1 至第 %2 条。</translation>
    </message>
    <message>
        <source>entry %1 is missing (between entries %2 and %3).</source>
        <translation>缺少第 %1 条（在第 %2 条与第 %3 条之间）。</translation>
    </message>
    <message>
        <source>entries %1 to %2 are missing (between entries %3 and %4).</source>
        <translation>缺少第 %1 至第 %2 条（在第 %3 条与第 %4 条之间）。</translation>
    </message>
    <message>
        <source>its last entry is %1.</source>
        <translation>其最后一条是第 %1 条。</translation>
    </message>
    <message>
        <source>Line %1: the file says it holds the whole log of %2 up to entry %3, but %4</source>
        <translation>第 %1 行：文件声明包含 %2 截至第 %3 条的完整日志，但%4</translation>
    </message>
    <message numerus="yes">
        <source>%n gap(s)</source>
        <translation>
            <numerusform>%n 处缺口</numerusform>
        </translation>
    </message>
    <message>
        <source>It is marked as the whole log and holds every entry up to the one marked.</source>
        <translation>文件标明为完整日志，且包含截至所标条目的每一条。</translation>
    </message>
    <message numerus="yes">
        <source>All %n entries are intact; %1. The file is a selection (%2%3), so entries outside it cannot be vouched for.</source>
        <translation>
            <numerusform>全部 %n 条均完好；%1。该文件为筛选导出（%2%3），其外的条目无法担保。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n link(s) checked</source>
        <translation>
            <numerusform>已校验 %n 处链接</numerusform>
        </translation>
    </message>
    <message>
        <source>It is not marked as the whole log (an export of every entry ends with a %1 line), so it may end early: it was exported with filters, or cut short.</source>
        <translation>文件未标明是完整日志（导出全部条目时，文件以一行 %1 结尾），因此它可能提前结束：它是按筛选条件导出的，或已被截断。</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source>it starts at entry 2: entry 1 is missing.</source>
        <translation>文件从第 2 条开始：缺少第 1 条。</translation>
    </message>
</context>
<context>
    <name>riskdesk::ApprovalLogModel</name>
    <message>
        <source>Hash %1
Previous %2</source>
        <translation>哈希 %1
前一条 %2</translation>
    </message>
    <message>
        <source>#</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Exception</source>
        <translation>特例</translation>
    </message>
    <message>
        <source>By</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>步骤</translation>
    </message>
    <message>
        <source>Status after</source>
        <translation>操作后状态</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>意见</translation>
    </message>
    <message>
        <source>Hash</source>
        <translation>哈希</translation>
    </message>
    <message>
        <source>%1

As stored: %2</source>
        <translation>%1

原文（哈希所依据的文本）：%2</translation>
    </message>
    <message>
        <source>Server login</source>
        <translation>服务器登录</translation>
    </message>
    <message>
        <source>The server recorded this decision as the login that sent it.</source>
        <translation>服务器以发送此决定的登录账号记录了该决定。</translation>
    </message>
    <message>
        <source>Identity</source>
        <translation>身份</translation>
    </message>
</context>
<context>
    <name>riskdesk::ApprovalLogPage</name>
    <message>
        <source>Tenant</source>
        <translation>租户</translation>
    </message>
    <message>
        <source>Approver filter</source>
        <translation>按审批人筛选</translation>
    </message>
    <message>
        <source>Action filter</source>
        <translation>按操作筛选</translation>
    </message>
    <message>
        <source>All actions</source>
        <translation>全部操作</translation>
    </message>
    <message>
        <source>From</source>
        <translation>起</translation>
    </message>
    <message>
        <source>To</source>
        <translation>止</translation>
    </message>
    <message>
        <source>&amp;Verify chain</source>
        <translation>校验链(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Export CSV…</source>
        <translation>导出 CSV(&amp;E)…</translation>
    </message>
    <message>
        <source>Approval log</source>
        <translation>审批日志</translation>
    </message>
    <message>
        <source>Export approval log</source>
        <translation>导出审批日志</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Could not read the log: %1</source>
        <translation>无法读取日志：%1</translation>
    </message>
    <message>
        <source>Verifying the approval log of %1…</source>
        <translation>正在校验 %1 的审批日志…</translation>
    </message>
    <message>
        <source>✔ Chain intact. %1 Head: entry %2, %3…</source>
        <translation>✔ 哈希链完整。%1链头：第 %2 条，%3…</translation>
    </message>
    <message>
        <source>✘ Chain BROKEN at entry %1. %2</source>
        <translation>✘ 哈希链在第 %1 条处断裂。%2</translation>
    </message>
    <message>
        <source>Exporting to %1…</source>
        <translation>正在导出到 %1…</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Exported to %1.</source>
        <translation>已导出到 %1。</translation>
    </message>
    <message>
        <source>The chain is verified when you open this page, or with Verify chain.</source>
        <translation>打开此页面或点击“校验链”时校验哈希链。</translation>
    </message>
    <message>
        <source>Verify on &amp;server</source>
        <translation>在服务器上校验(&amp;S)</translation>
    </message>
    <message>
        <source>The server&apos;s chain is verified with this desktop&apos;s, or with Verify on server.</source>
        <translation>服务器的哈希链与本机的一同校验，也可点击“在服务器上校验”。</translation>
    </message>
    <message>
        <source>Verifying the server&apos;s approval log of %1…</source>
        <translation>正在校验服务器上 %1 的审批日志…</translation>
    </message>
    <message>
        <source>Server: %1</source>
        <translation>服务器：%1</translation>
    </message>
    <message>
        <source>✔ Server chain intact. %1 Head: entry %2, %3…</source>
        <translation>✔ 服务器哈希链完整。%1链头：第 %2 条，%3…</translation>
    </message>
    <message>
        <source>✘ Server chain BROKEN at entry %1. %2</source>
        <translation>✘ 服务器哈希链在第 %1 条处断裂。%2</translation>
    </message>
    <message>
        <source>Which log</source>
        <translation>哪一份日志</translation>
    </message>
    <message>
        <source>This desktop&apos;s log</source>
        <translation>本机日志</translation>
    </message>
    <message>
        <source>Server&apos;s log (as of the last sync)</source>
        <translation>服务器日志（截至上次同步）</translation>
    </message>
    <message>
        <source>This desktop&apos;s log holds the decisions made here. The server&apos;s log holds every desktop&apos;s decisions, in the server&apos;s own chain, copied at each sync.</source>
        <translation>本机日志记录在本机作出的决定。服务器日志记录所有桌面端的决定，采用服务器自己的哈希链，每次同步时复制到本机。</translation>
    </message>
    <message>
        <source>Approver name or id</source>
        <translation>审批人姓名或 ID</translation>
    </message>
    <message>
        <source>Any part of an approver&apos;s name or user id, e.g. &quot;li&quot; finds li.wei</source>
        <translation>审批人姓名或用户 ID 的任意部分，例如输入“li”可找到 li.wei</translation>
    </message>
    <message>
        <source>Enter or double-click opens the entry&apos;s exception in the review queue</source>
        <translation>按 Enter 或双击，在审批队列中打开该条目对应的特例</translation>
    </message>
    <message>
        <source>No entry matches these filters.</source>
        <translation>没有符合这些筛选条件的记录。</translation>
    </message>
    <message>
        <source>The approval log of %1 has no entries yet.</source>
        <translation>%1 的审批日志中还没有记录。</translation>
    </message>
    <message>
        <source>Counting…</source>
        <translation>正在统计…</translation>
    </message>
    <message numerus="yes">
        <source>%n matching entr(y/ies)</source>
        <translation>
            <numerusform>%n 条匹配记录</numerusform>
        </translation>
    </message>
    <message>
        <source>From %1 is after To %2, so no entry can match: change one of the dates.</source>
        <translation>起始日期 %1 晚于结束日期 %2，没有条目能够匹配：请修改其中一个日期。</translation>
    </message>
    <message>
        <source>Checked at %1.</source>
        <translation>核验于 %1。</translation>
    </message>
    <message>
        <source>No entry matches these filters, so there is nothing to export.</source>
        <translation>没有符合这些筛选条件的记录，无可导出。</translation>
    </message>
    <message>
        <source>Exported to %1, but the approval log it comes from could not be checked: %2</source>
        <translation>已导出到 %1，但无法校验其来源的审批日志：%2</translation>
    </message>
    <message>
        <source>Exported to %1, but the approval log of %2 is broken at entry %3: %4 The file holds the entries as they are stored and is not marked as the whole log; Verify chain shows the details.</source>
        <translation>已导出到 %1，但 %2 的审批日志在第 %3 条处断裂：%4文件按存储原样保存了这些条目，且未标明为完整日志；详情请点“校验链”查看。</translation>
    </message>
</context>
<context>
    <name>riskdesk::ApprovalLogRepository</name>
    <message>
        <source>Reading the head of the approval log</source>
        <translation>读取审批日志链头</translation>
    </message>
    <message>
        <source>Appending to the approval log</source>
        <translation>追加审批日志</translation>
    </message>
    <message>
        <source>Reading the approval log</source>
        <translation>读取审批日志</translation>
    </message>
    <message>
        <source>Entry %1 is missing: the log jumps from entry %2 to entry %3.</source>
        <translation>第 %1 条缺失：日志从第 %2 条直接跳到第 %3 条。</translation>
    </message>
    <message>
        <source>Entry %1 does not link to entry %2: an entry was removed, inserted or moved here.</source>
        <translation>第 %1 条与第 %2 条衔接不上：此处有记录被删除、插入或调换了位置。</translation>
    </message>
    <message numerus="yes">
        <source>All %n entries are intact.</source>
        <translation>
            <numerusform>全部 %n 条记录完好。</numerusform>
        </translation>
    </message>
    <message>
        <source>Writing the export failed: %1</source>
        <translation>写入导出文件失败：%1</translation>
    </message>
    <message>
        <source>The server&apos;s log is copied by sync and never appended to here.</source>
        <translation>服务器日志只由同步复制而来，本机从不向其追加。</translation>
    </message>
    <message>
        <source>Counting the approval log&apos;s entries</source>
        <translation>统计审批日志记录数</translation>
    </message>
    <message>
        <source>Entry %1 (%2&apos;s decision on %3: %4) was altered after it was written.</source>
        <translation>第 %1 条（%2 对 %3 的决定：%4）在写入后被篡改。</translation>
    </message>
    <message>
        <source>The log was rewritten at or before entry %1: every entry links and matches its hash, but entry %1 is not the one this desktop verified before, so an entry up to it was changed and the hashes after it computed again. Which one cannot be told from the log itself: compare it with a copy verified earlier.</source>
        <translation>日志在第 %1 条或更早处被改写：每条记录都能衔接且与其哈希相符，但第 %1 条已不是本机此前验证过的那一条，说明此前某条记录被改动、其后的哈希被重新计算。具体是哪一条无法仅凭日志判断：请与更早验证过的副本比对。</translation>
    </message>
    <message>
        <source>No entry of the approval log matches these filters, so nothing was exported.</source>
        <translation>审批日志中没有符合这些筛选条件的记录，因此未导出任何内容。</translation>
    </message>
    <message>
        <source>Comparing the exceptions with the approval log</source>
        <translation>将特例与审批日志核对</translation>
    </message>
    <message numerus="yes">
        <source>%n exception(s) show a decision the log has no entry for (the first: %1, %2): entries were removed from the log, or the exceptions altered.</source>
        <translation>
            <numerusform>%n 条特例显示的决定在日志中没有对应记录（第一条：%1，%2）：日志中有记录被删除，或特例被改动过。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n exception(s) do not have the status their last entry in the log gives them (the first: %1 is %2, its last entry says %3): the exceptions were altered, or entries removed from the log.</source>
        <translation>
            <numerusform>%n 条特例的状态与其在日志中最后一条记录不符（第一条：%1 为“%2”，其最后一条记录为“%3”）：特例被改动过，或日志中有记录被删除。</numerusform>
        </translation>
    </message>
    <message>
        <source>Entry %1 follows entry %2: entries are repeated or out of order.</source>
        <translation>第 %1 条排在第 %2 条之后：有记录重复或顺序错乱。</translation>
    </message>
    <message>
        <source>Entry 1 is missing: the log starts at entry 2.</source>
        <translation>第 1 条缺失：日志从第 2 条开始。</translation>
    </message>
    <message>
        <source>Entries 1 to %1 are missing: the log starts at entry %2.</source>
        <translation>第 1 至第 %1 条缺失：日志从第 %2 条开始。</translation>
    </message>
    <message>
        <source>Entries %1 to %2 are missing: the log jumps from entry %3 to entry %4.</source>
        <translation>第 %1 至第 %2 条缺失：日志从第 %3 条直接跳到第 %4 条。</translation>
    </message>
    <message>
        <source>The log ends at entry %1, but this desktop verified it up to entry %2 before: entries were removed from the end, or from anywhere before it with the rest renumbered and their hashes computed again.</source>
        <translation>日志止于第 %1 条，但本机此前已校验到第 %2 条：有记录被删除——或是末尾的记录，或是此前任意位置的记录，且其后的记录被重新编号并重新计算了哈希。</translation>
    </message>
</context>
<context>
    <name>riskdesk::AssessmentPolicy</name>
    <message>
        <source>%1 must be a number.</source>
        <translation>%1 必须是数字。</translation>
    </message>
    <message>
        <source>%1 must be a non-empty string.</source>
        <translation>%1 必须是非空字符串。</translation>
    </message>
    <message>
        <source>%1 must be a list.</source>
        <translation>%1 必须是列表。</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>levels.%1: %2</source>
        <translation>levels.%1：%2</translation>
    </message>
    <message>
        <source>%1 must be an amount from 0 to %2.</source>
        <translation>%1 必须是 0 到 %2 之间的金额。</translation>
    </message>
    <message>
        <source>%1 must be a whole number of points from 0 to %2.</source>
        <translation>%1 必须是 0 到 %2 之间的整数分值。</translation>
    </message>
    <message>
        <source>%1 must be a whole number from %2 to %3.</source>
        <translation>%1 必须是 %2 到 %3 之间的整数。</translation>
    </message>
</context>
<context>
    <name>riskdesk::AssessmentRequest</name>
    <message>
        <source>%1 is missing.</source>
        <translation>缺少 %1。</translation>
    </message>
    <message>
        <source>%1 must be a string.</source>
        <translation>%1 必须是字符串。</translation>
    </message>
    <message>
        <source>%1 must be an object.</source>
        <translation>%1 必须是对象。</translation>
    </message>
    <message>
        <source>transaction_amount is missing.</source>
        <translation>缺少 transaction_amount。</translation>
    </message>
    <message>
        <source>transaction_amount must be a number.</source>
        <translation>transaction_amount 必须是数字。</translation>
    </message>
    <message>
        <source>transaction_amount must be greater than 0, not %1.</source>
        <translation>transaction_amount 必须大于 0，而不是 %1。</translation>
    </message>
    <message>
        <source>timestamp must be an ISO-8601 time, e.g. 2026-11-23T09:30:00Z.</source>
        <translation>timestamp 必须是 ISO-8601 时间，例如 2026-11-23T09:30:00Z。</translation>
    </message>
    <message>
        <source>transaction_amount must be a finite number.</source>
        <translation>transaction_amount 必须是有限的数值。</translation>
    </message>
    <message>
        <source>transaction_amount must be at most %1, not %2.</source>
        <translation>transaction_amount 不能超过 %1，当前为 %2。</translation>
    </message>
    <message>
        <source>%1 contains a NUL character (U+0000), which cannot be stored.</source>
        <translation>%1 中含有 NUL 字符（U+0000），无法保存。</translation>
    </message>
    <message>
        <source>%1 is empty.</source>
        <translation>%1 为空。</translation>
    </message>
    <message>
        <source>%1 must have 1 to 128 characters, none of them spaces, control characters or invisible marks.</source>
        <translation>%1 须为 1 至 128 个字符，且不能含有空白、控制字符或不可见符号。</translation>
    </message>
    <message>
        <source>transaction_amount must be at least %1 (one cent), not %2.</source>
        <translation>transaction_amount 至少为 %1（一分），不能是 %2。</translation>
    </message>
    <message>
        <source>timestamp must be from %1 to %2 (UTC), not %3.</source>
        <translation>timestamp 须在 %1 至 %2（UTC）之间，不能是 %3。</translation>
    </message>
    <message>
        <source>%1 must be a string, not null.</source>
        <translation>%1 必须是字符串，不能为 null。</translation>
    </message>
    <message>
        <source>%1 and %2 are missing.</source>
        <translation>缺少 %1 和 %2。</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>transaction_amount must be a number, not null.</source>
        <translation>transaction_amount 必须是数字，不能为 null。</translation>
    </message>
    <message>
        <source>transaction_amount has a fraction of a cent (%1); amounts are kept in cents, at most two decimals.</source>
        <translation>transaction_amount 含有不足一分的部分（%1）；金额以分为单位保存，最多两位小数。</translation>
    </message>
    <message>
        <source>payment_method is empty.</source>
        <translation>payment_method 为空。</translation>
    </message>
    <message>
        <source>timestamp: %1</source>
        <translation>timestamp：%1</translation>
    </message>
</context>
<context>
    <name>riskdesk::AssessmentStore</name>
    <message>
        <source>Reading the assessment log</source>
        <translation>读取评估日志</translation>
    </message>
    <message>
        <source>Reading the velocity ledger</source>
        <translation>读取交易频率台账</translation>
    </message>
    <message>
        <source>Reading the blacklist</source>
        <translation>读取黑名单</translation>
    </message>
    <message>
        <source>Saving the blacklist</source>
        <translation>保存黑名单</translation>
    </message>
    <message>
        <source>Reading the tenant&apos;s policy</source>
        <translation>读取租户策略</translation>
    </message>
    <message>
        <source>Saving the tenant&apos;s policy</source>
        <translation>保存租户策略</translation>
    </message>
    <message>
        <source>Logging assessment %1 failed: %2</source>
        <translation>记录评估 %1 失败：%2</translation>
    </message>
</context>
<context>
    <name>riskdesk::AssessmentText</name>
    <message>
        <source>Transaction amount too high</source>
        <translation>交易金额过高</translation>
    </message>
    <message>
        <source>Transaction amount high</source>
        <translation>交易金额较高</translation>
    </message>
    <message>
        <source>Daily transaction count over the limit</source>
        <translation>日交易次数超限</translation>
    </message>
    <message>
        <source>Daily transaction amount over the limit</source>
        <translation>日交易金额超限</translation>
    </message>
    <message>
        <source>Hourly transaction rate too high</source>
        <translation>小时交易频率过高</translation>
    </message>
    <message>
        <source>User or merchant is on the blacklist</source>
        <translation>用户或商户在黑名单中</translation>
    </message>
    <message>
        <source>Device identifier missing</source>
        <translation>缺少设备标识</translation>
    </message>
    <message>
        <source>Emulator detected</source>
        <translation>检测到模拟器</translation>
    </message>
    <message>
        <source>Device is rooted</source>
        <translation>设备已root</translation>
    </message>
    <message>
        <source>Location information missing</source>
        <translation>缺少位置信息</translation>
    </message>
    <message>
        <source>Transaction from a high-risk region</source>
        <translation>高风险地区交易</translation>
    </message>
    <message>
        <source>Manual review recommended</source>
        <translation>建议进行人工审核</translation>
    </message>
    <message>
        <source>Stronger identity verification recommended</source>
        <translation>建议增强身份验证</translation>
    </message>
    <message>
        <source>Review manually</source>
        <translation>人工审核</translation>
    </message>
    <message>
        <source>Limit transactions for today</source>
        <translation>限制当日交易</translation>
    </message>
    <message>
        <source>Freeze the account</source>
        <translation>冻结账户</translation>
    </message>
    <message>
        <source>Delay processing</source>
        <translation>延迟处理</translation>
    </message>
    <message>
        <source>Reject the transaction</source>
        <translation>拒绝交易</translation>
    </message>
    <message>
        <source>Require device authentication</source>
        <translation>要求设备认证</translation>
    </message>
    <message>
        <source>Strengthen verification</source>
        <translation>增强验证</translation>
    </message>
    <message>
        <source>Obtain location information</source>
        <translation>获取位置信息</translation>
    </message>
    <message>
        <source>high</source>
        <translation>高</translation>
    </message>
    <message>
        <source>medium</source>
        <translation>中</translation>
    </message>
    <message>
        <source>low</source>
        <translation>低</translation>
    </message>
    <message>
        <source>minimal</source>
        <translation>极低</translation>
    </message>
    <message>
        <source>reject</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>review</source>
        <translation>人工复核</translation>
    </message>
    <message>
        <source>approve with monitoring</source>
        <translation>通过并监控</translation>
    </message>
    <message>
        <source>approve</source>
        <translation>通过</translation>
    </message>
</context>
<context>
    <name>riskdesk::AssignmentRules</name>
    <message>
        <source>assigned</source>
        <translation>指派</translation>
    </message>
    <message>
        <source>claimed</source>
        <translation>认领</translation>
    </message>
    <message>
        <source>released</source>
        <translation>释放</translation>
    </message>
    <message>
        <source>escalated</source>
        <translation>升级</translation>
    </message>
    <message>
        <source>%1 is already %2; only pending exceptions are assigned.</source>
        <translation>%1 的状态为“%2”；只有待审批的特例可以指派。</translation>
    </message>
    <message>
        <source>%1 is not assigned to anyone.</source>
        <translation>%1 当前未指派给任何人。</translation>
    </message>
    <message>
        <source>%1 is assigned to %2; only they or a lead can release it.</source>
        <translation>%1 已指派给 %2；只有该审批人或主管可以释放。</translation>
    </message>
    <message>
        <source>Say who %1 goes to.</source>
        <translation>请指定 %1 交给谁。</translation>
    </message>
    <message>
        <source>%1 is not an approver of this tenant.</source>
        <translation>%1 不是该租户的审批人。</translation>
    </message>
    <message>
        <source>%1 is not a lead of this tenant.</source>
        <translation>%1 不是该租户的主管。</translation>
    </message>
    <message>
        <source>%1 is still within its SLA; only overdue exceptions are escalated.</source>
        <translation>%1 仍在 SLA 时限内；只有超时的特例可以升级。</translation>
    </message>
    <message>
        <source>%1 applied for %2; another approver must decide it.</source>
        <translation>%1 是 %2 的申请人；须由其他审批人处理。</translation>
    </message>
    <message>
        <source>%1 already acted on %2; the next step needs another approver.</source>
        <translation>%1 已处理过 %2；下一步需要其他审批人。</translation>
    </message>
    <message>
        <source>%1 is already assigned to %2.</source>
        <translation>%1 已指派给 %2。</translation>
    </message>
    <message>
        <source>%2 is routed to %1, who alone can decide it now, so it cannot go to anyone else.</source>
        <translation>%2 已指定由 %1 审批，目前只有对方能决定，不能再交给他人。</translation>
    </message>
    <message>
        <source>%1 takes part here as %2; only approvers assign exceptions.</source>
        <translation>%1 在此的身份是%2；只有审批人可以指派特例。</translation>
    </message>
</context>
<context>
    <name>riskdesk::AssignmentService</name>
    <message>
        <source>Reading the assignment</source>
        <translation>读取指派</translation>
    </message>
    <message>
        <source>Reading the assignment history</source>
        <translation>读取指派历史</translation>
    </message>
    <message>
        <source>Reading the leads</source>
        <translation>读取主管名单</translation>
    </message>
    <message>
        <source>Reading the SLA policy</source>
        <translation>读取 SLA 策略</translation>
    </message>
    <message>
        <source>Storing the assignment</source>
        <translation>保存指派</translation>
    </message>
    <message>
        <source>Logging the assignment</source>
        <translation>记录指派日志</translation>
    </message>
    <message>
        <source>Reading the approvers</source>
        <translation>读取审批人名单</translation>
    </message>
    <message>
        <source>Reading the assignments</source>
        <translation>读取指派</translation>
    </message>
</context>
<context>
    <name>riskdesk::AssignmentSync</name>
    <message>
        <source>Storing the leads</source>
        <translation>保存主管名单</translation>
    </message>
    <message>
        <source>Taking the server&apos;s assignment</source>
        <translation>采用服务器上的指派</translation>
    </message>
    <message>
        <source>Reading the assignments to send</source>
        <translation>读取待发送的指派</translation>
    </message>
    <message>
        <source>Recording the server&apos;s answer</source>
        <translation>记录服务器的答复</translation>
    </message>
    <message>
        <source>%1: the server did not take the assignment: %2</source>
        <translation>%1：服务器未接受该指派：%2</translation>
    </message>
    <message>
        <source>Reading the assignment cursor</source>
        <translation>读取指派同步游标</translation>
    </message>
    <message>
        <source>Copying the server&apos;s assignments</source>
        <translation>复制服务器上的指派</translation>
    </message>
    <message>
        <source>Keeping the assignment cursor</source>
        <translation>保存指派同步游标</translation>
    </message>
    <message>
        <source>Storing the SLA policy</source>
        <translation>保存 SLA 策略</translation>
    </message>
    <message>
        <source>Reading the SLA policy</source>
        <translation>读取 SLA 策略</translation>
    </message>
</context>
<context>
    <name>riskdesk::AttachmentBlobSync</name>
    <message>
        <source>Reading the attachments of the requests to push</source>
        <translation>读取待推送申请的附件</translation>
    </message>
    <message>
        <source>The attachment %1 of a request to push is missing from this workspace.</source>
        <translation>待推送申请的附件 %1 不在此工作区中。</translation>
    </message>
    <message>
        <source>The attachment %1 kept in this workspace does not match its hash.</source>
        <translation>此工作区保存的附件 %1 与其哈希值不符。</translation>
    </message>
    <message>
        <source>The server stored the attachment %1 under another hash.</source>
        <translation>服务器以另一个哈希值保存了附件 %1。</translation>
    </message>
    <message>
        <source>Reading the attachments this workspace lacks</source>
        <translation>读取此工作区缺少的附件</translation>
    </message>
    <message>
        <source>The server&apos;s copy of the attachment %1 does not match its hash.</source>
        <translation>服务器上附件 %1 的副本与其哈希值不符。</translation>
    </message>
    <message>
        <source>Reading the requests whose files this workspace has not listed</source>
        <translation>读取本工作区尚未列出其文件的申请</translation>
    </message>
    <message>
        <source>The server names a file of %1 by a malformed hash.</source>
        <translation>服务器以格式错误的哈希值指明 %1 的一个文件。</translation>
    </message>
    <message>
        <source>%1: waits; the server takes no more of its files for now (%2). Requests sent meanwhile make room, and the next sync tries again.</source>
        <translation>%1：等待中；服务器暂时不再接收其附件（%2）。在此期间发送的申请会腾出空间，下次同步时会再试。</translation>
    </message>
</context>
<context>
    <name>riskdesk::AttachmentCache</name>
    <message>
        <source>Reading a kept attachment</source>
        <translation>读取已保存的附件</translation>
    </message>
    <message>
        <source>Keeping an attachment</source>
        <translation>保存附件</translation>
    </message>
    <message>
        <source>Removing an attachment</source>
        <translation>删除附件</translation>
    </message>
    <message>
        <source>Making room in the attachment cache</source>
        <translation>清理附件缓存空间</translation>
    </message>
    <message>
        <source>Measuring the attachment cache</source>
        <translation>统计附件缓存大小</translation>
    </message>
</context>
<context>
    <name>riskdesk::AttachmentIntake</name>
    <message>
        <source>%1: there is no such file.</source>
        <translation>%1：没有这个文件。</translation>
    </message>
    <message>
        <source>%1 is %2; attachments may be at most %3.</source>
        <translation>%1 大小为 %2；附件最大 %3。</translation>
    </message>
    <message>
        <source>%1 cannot be read: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>%1 is empty.</source>
        <translation>%1 为空。</translation>
    </message>
    <message>
        <source>%1 is a folder; attach the files in it instead.</source>
        <translation>%1 是一个文件夹；请改为附加其中的文件。</translation>
    </message>
    <message>
        <source>%1 is not a kind of file Riskdesk recognises (nor text); attachments may be images, PDF, text or CSV.</source>
        <translation>无法识别 %1 的文件类型（也不是文本）；附件只能是图片、PDF、文本或 CSV。</translation>
    </message>
    <message>
        <source>%1 is of the kind &quot;%2&quot;; attachments may be images, PDF, text or CSV.</source>
        <translation>%1 的类型是“%2”；附件只能是图片、PDF、文本或 CSV。</translation>
    </message>
</context>
<context>
    <name>riskdesk::AttachmentView</name>
    <message>
        <source>Fetching… %p%</source>
        <translation>正在获取… %p%</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Actual size</source>
        <translation>实际大小</translation>
    </message>
    <message>
        <source>Previous page</source>
        <translation>上一页</translation>
    </message>
    <message>
        <source>Next page</source>
        <translation>下一页</translation>
    </message>
    <message>
        <source>Page</source>
        <translation>页码</translation>
    </message>
    <message>
        <source>Open with…</source>
        <translation>打开方式…</translation>
    </message>
    <message>
        <source>Open a copy in the application the system uses for this type</source>
        <translation>用系统为此类型设定的应用程序打开一份副本</translation>
    </message>
    <message>
        <source>%1 received</source>
        <translation>已接收 %1</translation>
    </message>
    <message>
        <source> · %1</source>
        <translation> · %1</translation>
    </message>
    <message>
        <source>%1
Type: %2
Size: %3</source>
        <translation>%1
类型：%2
大小：%3</translation>
    </message>
    <message>
        <source>(no name)</source>
        <translation>（无名称）</translation>
    </message>
    <message>
        <source>%1 · %2 · %3</source>
        <translation>%1 · %2 · %3</translation>
    </message>
    <message>
        <source> · kept in this workspace</source>
        <translation> · 已保存在此工作区</translation>
    </message>
    <message>
        <source>SHA-256 %1</source>
        <translation>SHA-256 %1</translation>
    </message>
    <message>
        <source>%1%</source>
        <translation>%1%</translation>
    </message>
    <message>
        <source>of %1</source>
        <translation>共 %1 页</translation>
    </message>
    <message>
        <source>Could not write a copy to %1: %2</source>
        <translation>无法将副本写入 %1：%2</translation>
    </message>
    <message>
        <source>No application is set up to open %1.</source>
        <translation>没有设定用于打开 %1 的应用程序。</translation>
    </message>
    <message>
        <source>−</source>
        <comment>zoom out</comment>
        <translation>−</translation>
    </message>
    <message>
        <source>Zoom out (Ctrl+wheel)</source>
        <translation>缩小（Ctrl+滚轮）</translation>
    </message>
    <message>
        <source>+</source>
        <comment>zoom in</comment>
        <translation>+</translation>
    </message>
    <message>
        <source>Zoom in (Ctrl+wheel)</source>
        <translation>放大（Ctrl+滚轮）</translation>
    </message>
    <message>
        <source>1:1</source>
        <comment>actual size</comment>
        <translation>1:1</translation>
    </message>
    <message>
        <source>‹</source>
        <comment>previous page</comment>
        <translation>‹</translation>
    </message>
    <message>
        <source>›</source>
        <comment>next page</comment>
        <translation>›</translation>
    </message>
</context>
<context>
    <name>riskdesk::BackendLogin</name>
    <message>
        <source>The server refused the password for the login &quot;%1&quot;. Check the password (it is case-sensitive) and sign in again.</source>
        <translation>服务器拒绝了登录账号“%1”的密码。请检查密码（区分大小写）后重新登录。</translation>
    </message>
    <message>
        <source>The server asks for the password of the login &quot;%1&quot;.</source>
        <translation>服务器要求提供登录账号“%1”的密码。</translation>
    </message>
    <message>
        <source>Signed in as &quot;%1&quot;, but its memberships could not be read: %2</source>
        <translation>已以“%1”登录，但无法读取其成员资格：%2</translation>
    </message>
    <message>
        <source>The server gives the login &quot;%1&quot; the role &quot;%2&quot; in %3, which this version does not know.</source>
        <translation>服务器在 %3 中赋予登录账号“%1”的角色“%2”，此版本无法识别该角色。</translation>
    </message>
    <message>
        <source>The login &quot;%1&quot; is not a member of any tenant on this server. An administrator adds it with: riskdesk db add-user</source>
        <translation>登录账号“%1”不属于此服务器上的任何租户。管理员可用以下命令添加：riskdesk db add-user</translation>
    </message>
</context>
<context>
    <name>riskdesk::BackendSignIn</name>
    <message>
        <source>no answer</source>
        <translation>无响应</translation>
    </message>
    <message>
        <source>Signing in to the backend needs the password of the login; give it in the URL or sign in once with the window.</source>
        <translation>登录后端需要该登录账号的密码；请在地址中提供密码，或先通过窗口登录一次。</translation>
    </message>
    <message>
        <source>The password kept in this desktop&apos;s keychain was refused; it has been removed. Type the current one.</source>
        <translation>本机钥匙串中保存的密码被拒绝，已将其删除。请输入当前密码。</translation>
    </message>
    <message>
        <source>The password could not be kept in the keychain (%1); it will be asked for at the next sign-in.</source>
        <translation>无法将密码保存到钥匙串（%1）；下次登录时将再次询问密码。</translation>
    </message>
</context>
<context>
    <name>riskdesk::BackendSignInDialog</name>
    <message>
        <source>Sign in to the backend</source>
        <translation>登录后端</translation>
    </message>
    <message>
        <source>This workspace works with the backend at %1. You sign in as your backend login: your decisions are made, and checked by the server, as that login.</source>
        <translation>此工作区使用位于 %1 的后端。您将以自己的后端登录账号登录：您的审批决定以该账号作出，并由服务器核验。</translation>
    </message>
    <message>
        <source>Login</source>
        <translation>登录账号</translation>
    </message>
    <message>
        <source>&amp;Login:</source>
        <translation>登录账号(&amp;L)：</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Keep the password in this desktop&apos;s keychain</source>
        <translation>将密码保存在本机钥匙串中(&amp;K)</translation>
    </message>
    <message>
        <source>No keychain service is running (%1): the password is not kept, and is asked for at every sign-in.</source>
        <translation>未运行任何钥匙串服务（%1）：密码不会被保存，每次登录时都会询问。</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Type your backend login.</source>
        <translation>请输入您的后端登录账号。</translation>
    </message>
    <message>
        <source>Type the password of the login &quot;%1&quot;.</source>
        <translation>请输入登录账号“%1”的密码。</translation>
    </message>
    <message>
        <source>Checking the password with the server…</source>
        <translation>正在由服务器核验密码…</translation>
    </message>
</context>
<context>
    <name>riskdesk::BatchedInsert</name>
    <message>
        <source>A block of rows does not match the table&apos;s columns.</source>
        <translation>一批行与表的列不相符。</translation>
    </message>
</context>
<context>
    <name>riskdesk::Blacklist</name>
    <message>
        <source>Line %1 of the blacklist must be &quot;user,ID&quot; or &quot;merchant,ID&quot;, not &quot;%2&quot;.</source>
        <translation>黑名单第 %1 行必须是“user,ID”或“merchant,ID”，而不是“%2”。</translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardCache</name>
    <message>
        <source>Reading the data&apos;s watermark</source>
        <translation>读取数据截至时间</translation>
    </message>
    <message>
        <source>Keeping a board result</source>
        <translation>缓存看板结果</translation>
    </message>
    <message>
        <source>Reading a kept board result</source>
        <translation>读取缓存的看板结果</translation>
    </message>
    <message>
        <source>Dropping a stale board result</source>
        <translation>删除过期的看板缓存结果</translation>
    </message>
    <message>
        <source>Dropping a site&apos;s kept board results</source>
        <translation>删除门店的看板缓存结果</translation>
    </message>
    <message>
        <source>Dropping a tenant&apos;s kept board results</source>
        <translation>删除租户的看板缓存结果</translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardChart</name>
    <message>
        <source>%1: %2 (%3)</source>
        <comment>donut slice: category, value, share</comment>
        <translation>%1：%2（%3）</translation>
    </message>
    <message>
        <source>%1 %2:00: %3</source>
        <comment>heat map cell: weekday, hour, value</comment>
        <translation>%1 %2:00：%3</translation>
    </message>
    <message>
        <source>%1 · %2: %3</source>
        <comment>chart point: series, category, value</comment>
        <translation>%1 · %2：%3</translation>
    </message>
    <message>
        <source>Line chart with the previous period dashed</source>
        <translation>折线图（虚线为上期）</translation>
    </message>
    <message>
        <source>Line chart</source>
        <translation>折线图</translation>
    </message>
    <message>
        <source>Bar chart</source>
        <translation>柱状图</translation>
    </message>
    <message>
        <source>Stacked bar chart</source>
        <translation>堆叠柱状图</translation>
    </message>
    <message>
        <source>Donut chart</source>
        <translation>环形图</translation>
    </message>
    <message>
        <source>Heat map</source>
        <translation>热力图</translation>
    </message>
    <message>
        <source>Sparkline</source>
        <translation>迷你走势图</translation>
    </message>
    <message>
        <source>%1: %2.</source>
        <translation>%1：%2。</translation>
    </message>
    <message>
        <source>No data.</source>
        <translation>无数据。</translation>
    </message>
    <message>
        <source>%1 rows by %2 columns.</source>
        <translation>%1 行 × %2 列。</translation>
    </message>
    <message numerus="yes">
        <source>%n categories</source>
        <translation>
            <numerusform>%n 个类别</numerusform>
        </translation>
    </message>
    <message>
        <source>Series: %1.</source>
        <translation>系列：%1。</translation>
    </message>
    <message>
        <source>Highest: %1.</source>
        <translation>最高：%1。</translation>
    </message>
    <message>
        <source>Lowest: %1.</source>
        <translation>最低：%1。</translation>
    </message>
    <message>
        <source>Total: %1.</source>
        <translation>合计：%1。</translation>
    </message>
    <message>
        <source>Previous period total: %1.</source>
        <translation>上期合计：%1。</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Share</source>
        <translation>占比</translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardChartCatalog</name>
    <message>
        <source>Accrued revenue: this period against the previous</source>
        <translation>应计收入：本期与上期对比</translation>
    </message>
    <message>
        <source>This period</source>
        <translation>本期</translation>
    </message>
    <message>
        <source>Previous period</source>
        <translation>上期</translation>
    </message>
    <message>
        <source>Service income per coach</source>
        <translation>各助教服务收入</translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardChartPainter</name>
    <message>
        <source>No data</source>
        <translation>无数据</translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardChartView</name>
    <message>
        <source>View as table</source>
        <translation>以表格查看</translation>
    </message>
    <message>
        <source>Show the chart&apos;s figures as a table</source>
        <translation>以表格显示图表中的数据</translation>
    </message>
    <message>
        <source>View as chart</source>
        <translation>以图表查看</translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardCommand</name>
    <message>
        <source>Loads board data from the CSV files of a directory (one per view), all or nothing.</source>
        <translation>从目录中的 CSV 文件（每个视图一个）导入看板数据，要么全部导入，要么全部不导入。</translation>
    </message>
    <message>
        <source>The workspace to load into.</source>
        <translation>导入到的工作区。</translation>
    </message>
    <message>
        <source>The server to load into, as its owner (loader) role.</source>
        <translation>导入到的服务器，以其属主（导入）角色连接。</translation>
    </message>
    <message>
        <source>The tenant the data belong to.</source>
        <translation>数据所属的租户。</translation>
    </message>
    <message>
        <source>The directory of CSV files (see board export-template).</source>
        <translation>CSV 文件所在目录（参见 board export-template）。</translation>
    </message>
    <message>
        <source>Give exactly one of --workspace PATH and --url OWNER_URL.</source>
        <translation>--workspace PATH 与 --url OWNER_URL 必须且只能指定其一。</translation>
    </message>
    <message>
        <source>--tenant T and --dir DIR are required.</source>
        <translation>必须指定 --tenant T 和 --dir DIR。</translation>
    </message>
    <message>
        <source>There is no directory %1.</source>
        <translation>目录 %1 不存在。</translation>
    </message>
    <message>
        <source>--workspace PATH must name an existing workspace.</source>
        <translation>--workspace PATH 必须是已存在的工作区。</translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) from %1 file(s) loaded as version %2 in %3 s.</source>
        <translation>
            <numerusform>已从 %1 个文件导入 %n 行，版本 %2，耗时 %3 秒。</numerusform>
        </translation>
    </message>
    <message>
        <source>Writes the header-only CSV file of every board view, to fill and load.</source>
        <translation>为每个看板视图写出仅含表头的 CSV 文件，填写后即可导入。</translation>
    </message>
    <message>
        <source>The directory to write (made if missing).</source>
        <translation>写入的目录（不存在则创建）。</translation>
    </message>
    <message>
        <source>--dir DIR is required.</source>
        <translation>必须指定 --dir DIR。</translation>
    </message>
    <message numerus="yes">
        <source>%n template file(s) written to %1.</source>
        <translation>
            <numerusform>已将 %n 个模板文件写入 %1。</numerusform>
        </translation>
    </message>
    <message>
        <source>Re-reads the board data synced into a workspace and compares every partition with the row count and checksum it was pulled with; a damaged one is pulled again at the next sync.</source>
        <translation>重新读取已同步到工作区的看板数据，将每个分区与拉取时的行数和校验和比对；损坏的分区会在下次同步时重新拉取。</translation>
    </message>
    <message>
        <source>The workspace to verify.</source>
        <translation>要校验的工作区。</translation>
    </message>
    <message>
        <source>Damaged: %1: %2 rows expected, %3 found; checksum %4 expected, %5 found.</source>
        <translation>已损坏：%1：应有 %2 行，实有 %3 行；校验和应为 %4，实为 %5。</translation>
    </message>
    <message numerus="yes">
        <source>%n damaged partition(s): the next sync pulls them again.</source>
        <translation>
            <numerusform>%n 个分区已损坏：下次同步时将重新拉取。</numerusform>
        </translation>
    </message>
    <message>
        <source>Every synced board partition matches its checksum.</source>
        <translation>所有已同步的看板分区均与校验和一致。</translation>
    </message>
    <message>
        <source>Summary differs from the service logs: %1.</source>
        <translation>汇总表与服务流水不一致：%1。</translation>
    </message>
    <message>
        <source>The service-log summaries match the service logs.</source>
        <translation>服务流水汇总表与服务流水一致。</translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardCsvReader</name>
    <message>
        <source>%1 is not UTF-8 text.</source>
        <translation>%1 不是 UTF-8 文本。</translation>
    </message>
    <message>
        <source>%1 contains a NUL character.</source>
        <translation>%1 含有 NUL 字符。</translation>
    </message>
    <message>
        <source>%1, line %2, column %3: %4</source>
        <translation>%1，第 %2 行，第 %3 列：%4</translation>
    </message>
    <message>
        <source>text after a closing quote (a quote inside a quoted field is written &quot;&quot;).</source>
        <translation>右引号之后还有文字（引号字段内的引号应写作 &quot;&quot;）。</translation>
    </message>
    <message>
        <source>a quote inside an unquoted field (quote the whole field).</source>
        <translation>未加引号的字段中出现引号（请给整个字段加引号）。</translation>
    </message>
    <message>
        <source>a quoted field is never closed.</source>
        <translation>引号字段没有结束引号。</translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardDrillKey</name>
    <message>
        <source>A share, rate or change is computed from other figures: open those figures instead.</source>
        <translation>占比、比率和变化由其他数字计算得出：请打开那些数字查看明细。</translation>
    </message>
    <message>
        <source>A percentile, maximum or mean is one value, not a sum of rows.</source>
        <translation>分位数、最大值或平均值是单个数值，不是明细行的合计。</translation>
    </message>
    <message>
        <source>This is a setting, not a figure computed from rows.</source>
        <translation>这是一项设置，不是由明细行计算的数字。</translation>
    </message>
    <message>
        <source>Index scores, snapshot figures and member counts have no rows to list.</source>
        <translation>指数得分、快照数字和会员人数没有可列出的明细行。</translation>
    </message>
    <message>
        <source>The board lists no rows for this figure; open the row&apos;s total or the period&apos;s figure instead.</source>
        <translation>看板没有此数字的明细行；请改为打开该行的合计或整个期间的数字。</translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n exception(s))</source>
        <translation>
            <numerusform>%1（%n 条特例）</numerusform>
        </translation>
    </message>
    <message>
        <source>This column is not totalled: open a coach&apos;s cell instead.</source>
        <translation>此列不合计：请打开某位助教的单元格。</translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardDrillModel</name>
    <message>
        <source>Voided row: listed because voided rows are shown; never counted in the sums</source>
        <translation>废单：因显示废单而列出，从不计入合计</translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardDrillPanel</name>
    <message>
        <source>Unknown board.</source>
        <translation>未知看板。</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <source>Return to the previous drill-down</source>
        <translation>返回上一层明细</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Close the drill-down (Esc)</source>
        <translation>关闭明细（Esc）</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Every row of this drill-down as CSV (UTF-8 with BOM, opens in Excel)</source>
        <translation>将此明细的全部行导出为 CSV（UTF-8 带 BOM，可用 Excel 打开）</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Previous</source>
        <translation>上一页</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>下一页</translation>
    </message>
    <message>
        <source>This list has a fixed order; it cannot be sorted by this column.</source>
        <translation>此列表顺序固定，不能按该列排序。</translation>
    </message>
    <message>
        <source>Loading the rows…</source>
        <translation>正在读取明细…</translation>
    </message>
    <message>
        <source>The drill-down returned no table.</source>
        <translation>明细查询没有返回表格。</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message numerus="yes">
        <source>%n row(s)</source>
        <translation>
            <numerusform>共 %n 行</numerusform>
        </translation>
    </message>
    <message>
        <source>Page %1 of %2 · %3 rows</source>
        <translation>第 %1 / %2 页 · 共 %3 行</translation>
    </message>
    <message>
        <source>The rows could not be read: %1</source>
        <translation>无法读取明细：%1</translation>
    </message>
    <message>
        <source>Nothing to export: no drill-down is open.</source>
        <translation>没有可导出的内容：未打开任何明细。</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n row(s) to %1.</source>
        <translation>
            <numerusform>已导出 %n 行到 %1。</numerusform>
        </translation>
    </message>
    <message>
        <source>Export the drill-down</source>
        <translation>导出明细</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Show voided rows</source>
        <translation>显示废单</translation>
    </message>
    <message>
        <source>Also list the voided service-log rows, greyed out. They are never counted: the footer stays the clicked figure.</source>
        <translation>同时列出已作废的服务记录，以灰色显示。废单从不计入：底部合计仍等于所点击的数值。</translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardExportSet</name>
    <message>
        <source>Board</source>
        <translation>看板</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>门店</translation>
    </message>
    <message>
        <source>All sites of the tenant</source>
        <translation>租户的全部门店</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>期间</translation>
    </message>
    <message>
        <source>Previous period</source>
        <translation>上期</translation>
    </message>
    <message>
        <source>As of</source>
        <translation>截至</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>workspace owner</source>
        <translation>工作区所有者</translation>
    </message>
    <message>
        <source>Export time</source>
        <translation>导出时间</translation>
    </message>
    <message>
        <source>Skill</source>
        <translation>技能</translation>
    </message>
    <message>
        <source>Tiers</source>
        <translation>档位</translation>
    </message>
    <message>
        <source>Coach</source>
        <translation>助教</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>Trend granularity</source>
        <translation>趋势粒度</translation>
    </message>
    <message>
        <source>Sort</source>
        <translation>排序</translation>
    </message>
    <message>
        <source>Rules</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>严重级别</translation>
    </message>
    <message>
        <source>Target type</source>
        <translation>目标类型</translation>
    </message>
    <message>
        <source>Reason category</source>
        <translation>原因分类</translation>
    </message>
    <message>
        <source>Approver</source>
        <translation>审批人</translation>
    </message>
    <message>
        <source>Drill-down</source>
        <translation>下钻</translation>
    </message>
    <message>
        <source>Data loaded through</source>
        <translation>数据截至</translation>
    </message>
    <message>
        <source>live: the workspace at the export time</source>
        <translation>实时：导出时的工作区数据</translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardExportWriter</name>
    <message>
        <source>A whole board is exported as xlsx or pdf, not &quot;%1&quot;.</source>
        <translation>整个看板只能导出为 xlsx 或 pdf，不能是“%1”。</translation>
    </message>
    <message>
        <source>The board has no section &quot;%1&quot;.</source>
        <translation>看板中没有“%1”这一栏目。</translation>
    </message>
    <message>
        <source>The folder %1 for the export does not exist.</source>
        <translation>导出的目标文件夹 %1 不存在。</translation>
    </message>
    <message>
        <source>The folder %1 for the export cannot be written to.</source>
        <translation>无法写入导出的目标文件夹 %1。</translation>
    </message>
    <message>
        <source>%1 is not a regular file: name a new file, a file to replace, or a folder.</source>
        <translation>%1 不是普通文件：请指定新文件、要替换的文件或文件夹。</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>The export could not be recorded, so %1 was not kept: %2</source>
        <translation>无法记录此次导出，因此未保留 %1：%2</translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardFilterBar</name>
    <message>
        <source>Period:</source>
        <translation>周期：</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>周期</translation>
    </message>
    <message>
        <source>Salary month</source>
        <translation>工资月份</translation>
    </message>
    <message>
        <source>As of:</source>
        <translation>截至：</translation>
    </message>
    <message>
        <source>Skill:</source>
        <translation>技能：</translation>
    </message>
    <message>
        <source>Name or number…</source>
        <translation>姓名或编号…</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>Trend by:</source>
        <translation>趋势粒度：</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>All severities</source>
        <translation>全部严重程度</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>低风险</translation>
    </message>
    <message>
        <source>Medium</source>
        <translation>中风险</translation>
    </message>
    <message>
        <source>High</source>
        <translation>高风险</translation>
    </message>
    <message>
        <source>Critical</source>
        <translation>极高风险</translation>
    </message>
    <message>
        <source>Target type</source>
        <translation>对象类型</translation>
    </message>
    <message>
        <source>Reason category</source>
        <translation>原因类别</translation>
    </message>
    <message>
        <source>Pick a month</source>
        <translation>选择月份</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Choose a period.</source>
        <translation>请选择周期。</translation>
    </message>
    <message>
        <source>Queue as of:</source>
        <translation>队列时点：</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>现在</translation>
    </message>
    <message>
        <source>The instant of the queue&apos;s figures (pending, their ages, past SLA, expiring): now, or a moment in the past to see the queue as it stood then.</source>
        <translation>队列指标（待审数、等待时长、已超时、即将到期）所取的时点：现在，或过去某一时刻，以查看当时的队列。</translation>
    </message>
    <message>
        <source>All target types</source>
        <translation>全部目标类型</translation>
    </message>
    <message>
        <source>A time…</source>
        <translation>指定时点…</translation>
    </message>
    <message>
        <source>Queue as of</source>
        <translation>队列时点</translation>
    </message>
    <message>
        <source>Rules</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>All rules</source>
        <translation>全部规则</translation>
    </message>
    <message>
        <source>Rules to show</source>
        <translation>要显示的规则</translation>
    </message>
    <message>
        <source>Approver</source>
        <translation>审批人</translation>
    </message>
    <message>
        <source>All approvers</source>
        <translation>全部审批人</translation>
    </message>
    <message>
        <source>%1 (not in this workspace)</source>
        <translation>%1（不在此工作区中）</translation>
    </message>
    <message>
        <source>Rule %1</source>
        <translation>规则 %1</translation>
    </message>
    <message>
        <source>%1 rules</source>
        <translation>%1 条规则</translation>
    </message>
    <message>
        <source>Every rule of the tenant</source>
        <translation>租户的全部规则</translation>
    </message>
    <message>
        <source>The %1 tab does not use the period; only these tabs do: %2.</source>
        <translation>“%1”标签页不使用周期；只有这些标签页使用：%2。</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardKpiCard</name>
    <message>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>No data for this period</source>
        <translation>本期无数据</translation>
    </message>
    <message>
        <source>Change: %1</source>
        <translation>变化：%1</translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardLoad</name>
    <message>
        <source>Reading the choices of the board&apos;s filters</source>
        <translation>读取看板筛选项的可选值</translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardLoadSet</name>
    <message>
        <source>&quot;%1&quot; is not an amount in yuan (like 1234.50).</source>
        <translation>“%1”不是以元为单位的金额（例如 1234.50）。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; has more than 2 decimals (amounts are in yuan and fen).</source>
        <translation>“%1”的小数超过 2 位（金额精确到分）。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a number with at most 8 digits and 4 decimals.</source>
        <translation>“%1”不是整数部分最多 8 位、小数最多 4 位的数字。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a time with its offset (like 2026-05-31T23:30:00+08:00).</source>
        <translation>“%1”不是带时区偏移的时间（例如 2026-05-31T23:30:00+08:00）。</translation>
    </message>
    <message>
        <source>There is no directory %1.</source>
        <translation>目录 %1 不存在。</translation>
    </message>
    <message>
        <source>%1: not a board data file (known: the view names of the template, like v_dwd_assistant_service_log.csv).</source>
        <translation>%1：不是看板数据文件（可用的文件名即模板中的视图名，例如 v_dwd_assistant_service_log.csv）。</translation>
    </message>
    <message>
        <source>%1: cannot be read (%2).</source>
        <translation>%1：无法读取（%2）。</translation>
    </message>
    <message>
        <source>%1, line 1: the header row is missing.</source>
        <translation>%1，第 1 行：缺少表头行。</translation>
    </message>
    <message>
        <source>%1, line 1, column %2: &quot;%3&quot; is %4.</source>
        <translation>%1，第 1 行，第 %2 列：“%3”%4。</translation>
    </message>
    <message>
        <source>not a column of this file</source>
        <translation>不是此文件的列</translation>
    </message>
    <message>
        <source>named twice</source>
        <translation>重复出现</translation>
    </message>
    <message>
        <source>%1, line 1: the column &quot;%2&quot; is missing.</source>
        <translation>%1，第 1 行：缺少列“%2”。</translation>
    </message>
    <message>
        <source>%1, line %2: %3 field(s) where the header has %4.</source>
        <translation>%1，第 %2 行：有 %3 个字段，而表头有 %4 个。</translation>
    </message>
    <message>
        <source>a value is required.</source>
        <translation>此项必填。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not one of %2.</source>
        <translation>“%1”不是 %2 之一。</translation>
    </message>
    <message>
        <source>the text is blank.</source>
        <translation>文字为空白。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an identifier (1 to 128 characters, no spaces).</source>
        <translation>“%1”不是有效标识（1 到 128 个字符，不含空白）。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a site id (1 to 128 characters, no spaces).</source>
        <translation>“%1”不是有效的门店 ID（1 到 128 个字符，不含空白）。</translation>
    </message>
    <message>
        <source>the site &quot;%1&quot; is neither declared in site_settings.csv nor known.</source>
        <translation>门店“%1”既未在 site_settings.csv 中声明，也不是已有门店。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a whole number from %2 to %3.</source>
        <translation>“%1”不是 %2 到 %3 之间的整数。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is neither 0 nor 1.</source>
        <translation>“%1”既不是 0 也不是 1。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a date (YYYY-MM-DD).</source>
        <translation>“%1”不是日期（YYYY-MM-DD）。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not the first day of a month (YYYY-MM-01).</source>
        <translation>“%1”不是某月的第一天（YYYY-MM-01）。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a time zone (like Asia/Shanghai).</source>
        <translation>“%1”不是时区（例如 Asia/Shanghai）。</translation>
    </message>
    <message>
        <source>%1, line %2, column %3 (%4): %5</source>
        <translation>%1，第 %2 行，第 %3 列（%4）：%5</translation>
    </message>
    <message>
        <source>%1, line %2: the same row (%3) as line %4.</source>
        <translation>%1，第 %2 行：与第 %4 行是同一行（%3）。</translation>
    </message>
    <message>
        <source>%1, line %2: the site &quot;%3&quot; already has data bucketed by its business day; changing its time zone or cut-off is not supported by a file load.</source>
        <translation>%1，第 %2 行：门店“%3”已有按营业日归属的数据，文件导入不支持修改其时区或营业日切换时间。</translation>
    </message>
    <message>
        <source>Nothing was loaded:
%1</source>
        <translation>未导入任何数据：
%1</translation>
    </message>
    <message>
        <source>Cannot create the directory %1.</source>
        <translation>无法创建目录 %1。</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardPage</name>
    <message>
        <source>The page number must be 1 or more, not %1.</source>
        <translation>页码须不小于 1，而不是 %1。</translation>
    </message>
    <message>
        <source>The page size must be from 1 to %1, or 0 for every row; %2 is not.</source>
        <translation>每页行数须在 1 到 %1 之间，或为 0（显示全部行）；%2 不符合。</translation>
    </message>
    <message>
        <source>With every row on one page there is only page 1.</source>
        <translation>全部行在同一页显示时，只有第 1 页。</translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardPartitionPull</name>
    <message>
        <source>Recording the user&apos;s sites</source>
        <translation>记录用户的门店</translation>
    </message>
    <message>
        <source>Replacing %1</source>
        <translation>替换 %1</translation>
    </message>
    <message>
        <source>The server sent &quot;%1&quot; for %2 of %3, not a whole number.</source>
        <translation>服务器为 %3 的 %2 发送了“%1”，这不是整数。</translation>
    </message>
    <message>
        <source>%1: the server lists %2 rows (checksum %3), the workspace wrote %4 (%5); the partition was left as it was.</source>
        <translation>%1：服务器列出 %2 行（校验和 %3），工作区写入了 %4 行（%5）；该分区保持原样。</translation>
    </message>
    <message>
        <source>Recording %1</source>
        <translation>记录 %1</translation>
    </message>
    <message>
        <source>There is no board dataset &quot;%1&quot;.</source>
        <translation>没有名为“%1”的看板数据集。</translation>
    </message>
    <message>
        <source>Reading %1</source>
        <translation>读取 %1</translation>
    </message>
    <message>
        <source>Reading the board partitions</source>
        <translation>读取看板分区</translation>
    </message>
    <message>
        <source>%1: this version of Riskdesk does not know the dataset; skipped.</source>
        <translation>%1：此版本的 Riskdesk 不认识该数据集，已跳过。</translation>
    </message>
    <message>
        <source>%1: the server&apos;s partition does not fit the dataset; skipped.</source>
        <translation>%1：服务器的分区与该数据集不符，已跳过。</translation>
    </message>
    <message>
        <source>Marking %1 for the next sync</source>
        <translation>标记 %1 以便下次同步</translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardPdfExport</name>
    <message>
        <source>Page %1</source>
        <translation>第 %1 页</translation>
    </message>
    <message>
        <source>%1 (continued)</source>
        <translation>%1（续）</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>A PDF export needs a QGuiApplication (fonts).</source>
        <translation>PDF 导出需要 QGuiApplication（用于字体）。</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Could not write %1.</source>
        <translation>无法写入 %1。</translation>
    </message>
    <message>
        <source>Unavailable: %1 (%2)</source>
        <translation>暂不可用：%1（%2）</translation>
    </message>
    <message>
        <source>%1 (columns %2–%3 of %4)</source>
        <translation>%1（第 %2–%3 列，共 %4 列）</translation>
    </message>
    <message>
        <source>The first %1 of %2 rows, in the section&apos;s order; the XLSX export holds every row. The totals are over all of them.</source>
        <translation>按本部分的排序列出 %2 行中的前 %1 行；XLSX 导出包含全部行。合计为全部行的合计。</translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardPeriod</name>
    <message>
        <source>The period needs a valid start and end date.</source>
        <translation>期间需要有效的开始日期和结束日期。</translation>
    </message>
    <message>
        <source>The period starts on %1, after its end %2.</source>
        <translation>期间开始于 %1，晚于其结束日期 %2。</translation>
    </message>
    <message>
        <source>The period %1 ~ %2 has %3 days; at most %4 are allowed.</source>
        <translation>期间 %1 ~ %2 共 %3 天，最多允许 %4 天。</translation>
    </message>
    <message>
        <source>%1-%2 is not a month.</source>
        <translation>%1-%2 不是有效的月份。</translation>
    </message>
    <message>
        <source>The month %1 has not begun yet (today is %2).</source>
        <translation>月份 %1 尚未开始（今天是 %2）。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a month; write it as YYYY-MM, e.g. 2026-05.</source>
        <translation>“%1”不是月份，请按 YYYY-MM 格式填写，例如 2026-05。</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <comment>preset name, resolved dates</comment>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>PoP %1</source>
        <comment>period-over-period against the previous range</comment>
        <translation>环比 %1</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今日</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>昨日</translation>
    </message>
    <message>
        <source>This week</source>
        <translation>本周</translation>
    </message>
    <message>
        <source>Last week</source>
        <translation>上周</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>本月</translation>
    </message>
    <message>
        <source>Last month</source>
        <translation>上月</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>近 7 天</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>近 30 天</translation>
    </message>
    <message>
        <source>Last 60 days</source>
        <translation>近 60 天</translation>
    </message>
    <message>
        <source>This quarter</source>
        <translation>本季度</translation>
    </message>
    <message>
        <source>This year</source>
        <translation>本年</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>One business day.</source>
        <translation>一个营业日。</translation>
    </message>
    <message>
        <source>From the first day of this week up to today.</source>
        <translation>从本周第一天到今日。</translation>
    </message>
    <message>
        <source>The whole previous week.</source>
        <translation>上一整周。</translation>
    </message>
    <message>
        <source>From the 1st of this month up to today.</source>
        <translation>从本月 1 日到今日。</translation>
    </message>
    <message>
        <source>The whole previous calendar month, not the last 30 days.</source>
        <translation>上一个完整的自然月，而不是近 30 天。</translation>
    </message>
    <message numerus="yes">
        <source>The last %n business day(s), today included.</source>
        <translation>
            <numerusform>最近 %n 个营业日，含今日。</numerusform>
        </translation>
    </message>
    <message>
        <source>From the first day of this quarter up to today.</source>
        <translation>从本季度第一天到今日。</translation>
    </message>
    <message>
        <source>From January 1 up to today.</source>
        <translation>从 1 月 1 日到今日。</translation>
    </message>
    <message numerus="yes">
        <source>Any range of at most %n day(s).</source>
        <translation>
            <numerusform>任意日期范围，最多 %n 天。</numerusform>
        </translation>
    </message>
    <message>
        <source>One calendar month; the current month up to today.</source>
        <translation>一个自然月；当月截至今日。</translation>
    </message>
    <message>
        <source>Data are loaded through %1: no day of this period is loaded yet, so its figures show no data (—), not zero.</source>
        <translation>数据截至 %1：本期尚无任何一天的数据，各项显示为无数据（—），而非零。</translation>
    </message>
    <message>
        <source>not loaded yet (data are loaded through %1)</source>
        <translation>尚未加载（数据截至 %1）</translation>
    </message>
    <message numerus="yes">
        <source>Data are loaded through %1: the last %n day(s) of this period have no data yet, so its changes compare the days loaded with as many days of the previous period (%2).</source>
        <translation>
            <numerusform>数据截至 %1：本期最后 %n 天尚无数据，环比以已加载的天数对比上期相同天数（%2）。</numerusform>
        </translation>
    </message>
    <message>
        <source>before the site&apos;s data begin (%1)</source>
        <translation>早于门店数据的起始日（%1）</translation>
    </message>
    <message>
        <source>The site&apos;s data begin on %1, after this period ends: its figures show no data (—), not zero.</source>
        <translation>门店数据自 %1 起才有，晚于本期结束：本期数字显示为无数据（—），而不是零。</translation>
    </message>
    <message>
        <source>The site&apos;s data begin on %1: this period&apos;s days before then hold nothing.</source>
        <translation>门店数据自 %1 起才有：本期在此之前的日子没有任何数据。</translation>
    </message>
    <message>
        <source>The site&apos;s data begin on %1: this period&apos;s days before then hold nothing, and the previous period (%2) ends before them, so no change is shown (—).</source>
        <translation>门店数据自 %1 起才有：本期在此之前的日子没有任何数据；上期（%2）在此之前已结束，因此不显示环比（—）。</translation>
    </message>
    <message>
        <source>The site&apos;s data begin on %1: this period&apos;s days before then hold nothing, and the previous period (%2) starts before them, so its changes are not like for like.</source>
        <translation>门店数据自 %1 起才有：本期在此之前的日子没有任何数据；上期（%2）开始于此之前，因此环比并非同口径比较。</translation>
    </message>
    <message>
        <source>The site&apos;s data begin on %1, after the previous period (%2) ends, so no change is shown (—).</source>
        <translation>门店数据自 %1 起才有，晚于上期（%2）结束，因此不显示环比（—）。</translation>
    </message>
    <message>
        <source>The site&apos;s data begin on %1, within the previous period (%2), so its changes are not like for like.</source>
        <translation>门店数据自 %1 起才有，落在上期（%2）之内，因此环比并非同口径比较。</translation>
    </message>
    <message>
        <source>The period ends on %1, after today (%2): no figures exist yet for the days to come. Choose an end on or before today.</source>
        <translation>周期结束于 %1，晚于今天（%2）：未来的日子尚无数据。请选择今天或更早的结束日。</translation>
    </message>
    <message>
        <source>The as-of day %1 is after today (%2). Choose today or an earlier day.</source>
        <translation>截至日 %1 晚于今天（%2）。请选择今天或更早的日期。</translation>
    </message>
    <message>
        <source>The queue&apos;s time %1 is after now (%2): there are no figures for times to come. Choose now or an earlier time.</source>
        <translation>队列时点 %1 晚于现在（%2）：尚无未来时点的数据。请选择“现在”或更早的时点。</translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardReport</name>
    <message>
        <source>Tenant</source>
        <translation>租户</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>门店</translation>
    </message>
    <message>
        <source>Dimension</source>
        <translation>维度</translation>
    </message>
    <message>
        <source>As of</source>
        <translation>截至</translation>
    </message>
    <message>
        <source>Snapshot</source>
        <translation>快照日</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>Trend by</source>
        <translation>趋势粒度</translation>
    </message>
    <message>
        <source>Previous period</source>
        <translation>上期</translation>
    </message>
    <message>
        <source>Compared with the queue at</source>
        <translation>对比时点</translation>
    </message>
    <message>
        <source>Data loaded through: %1</source>
        <translation>数据截至：%1</translation>
    </message>
    <message>
        <source>Live figures of the workspace when this was made</source>
        <translation>实时数据：生成本报告时的工作区</translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardReportCodec</name>
    <message>
        <source>A cached board result could not be read; it is computed anew.</source>
        <translation>无法读取缓存的看板结果，将重新计算。</translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardScope</name>
    <message>
        <source>Reading the tenant</source>
        <translation>读取租户</translation>
    </message>
    <message>
        <source>There is no tenant &quot;%1&quot; in this workspace.</source>
        <translation>此工作区中没有租户“%1”。</translation>
    </message>
    <message>
        <source>Reading the user</source>
        <translation>读取用户</translation>
    </message>
    <message>
        <source>There is no user &quot;%1&quot; in tenant &quot;%2&quot;.</source>
        <translation>租户“%2”中没有用户“%1”。</translation>
    </message>
    <message>
        <source>Reading the sites</source>
        <translation>读取门店</translation>
    </message>
    <message>
        <source>skill types</source>
        <translation>技能类型</translation>
    </message>
    <message>
        <source>coach board</source>
        <translation>助教看板</translation>
    </message>
    <message>
        <source>customer board</source>
        <translation>客户看板</translation>
    </message>
    <message>
        <source>finance board</source>
        <translation>财务看板</translation>
    </message>
    <message>
        <source>risk-operations board</source>
        <translation>风控运营看板</translation>
    </message>
    <message>
        <source>User &quot;%1&quot; (%2) may not open the %3.</source>
        <translation>用户“%1”（%2）无权打开%3。</translation>
    </message>
    <message>
        <source>Tenant &quot;%1&quot; has no board data yet: load some with riskdesk board load.</source>
        <translation>租户“%1”尚无看板数据：请先用 riskdesk board load 载入。</translation>
    </message>
    <message>
        <source>User &quot;%1&quot; is not granted any site of tenant &quot;%2&quot;.</source>
        <translation>用户“%1”未获授权访问租户“%2”的任何门店。</translation>
    </message>
    <message>
        <source>Site &quot;%1&quot; is not one you may open; choose one of: %2.</source>
        <translation>您无权打开门店“%1”；可选门店：%2。</translation>
    </message>
    <message>
        <source>Reading the site&apos;s settings</source>
        <translation>读取门店设置</translation>
    </message>
    <message>
        <source>Site &quot;%1&quot; has no settings in this workspace.</source>
        <translation>此工作区中没有门店“%1”的设置。</translation>
    </message>
    <message>
        <source>Reading the data&apos;s watermark</source>
        <translation>读取数据截至日期</translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardSectionView</name>
    <message>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>First</source>
        <translation>首页</translation>
    </message>
    <message>
        <source>Previous</source>
        <translation>上一页</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>下一页</translation>
    </message>
    <message>
        <source>%1 per page</source>
        <translation>每页 %1 条</translation>
    </message>
    <message>
        <source>⚠ This section could not be computed: %1</source>
        <translation>⚠ 本部分无法计算：%1</translation>
    </message>
    <message>
        <source>⚠ Part of the data is unavailable</source>
        <translation>⚠ 部分数据暂不可用</translation>
    </message>
    <message>
        <source>No rows</source>
        <translation>无数据行</translation>
    </message>
    <message>
        <source>%1–%2 of %3</source>
        <translation>第 %1–%2 条，共 %3 条</translation>
    </message>
    <message>
        <source>— No data: %1</source>
        <translation>— 无数据：%1</translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardServerLoad</name>
    <message>
        <source>There is no tenant &quot;%1&quot; on this server.</source>
        <translation>此服务器上没有租户“%1”。</translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardServerSeed</name>
    <message>
        <source>Reading the workspace&apos;s %1</source>
        <translation>读取工作区的 %1</translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardSort</name>
    <message>
        <source>Cannot sort by &quot;%1&quot;; choose one of: %2.</source>
        <translation>无法按“%1”排序，请从以下选择：%2。</translation>
    </message>
    <message>
        <source>The sort direction &quot;%1&quot; is not asc or desc.</source>
        <translation>排序方向“%1”无效，应为 asc 或 desc。</translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardTable</name>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message numerus="yes">
        <source>Page %1 of %2 (%3 row(s) in all)</source>
        <translation>
            <numerusform>第 %1 页，共 %2 页（共 %3 行）</numerusform>
        </translation>
    </message>
    <message>
        <source>No row matches these filters.</source>
        <translation>没有符合这些筛选条件的行。</translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardTableModel</name>
    <message>
        <source>Unavailable: %1</source>
        <translation>暂不可用：%1</translation>
    </message>
    <message>
        <source>No data</source>
        <translation>无数据</translation>
    </message>
    <message>
        <source>Click to sort the whole set by this column.</source>
        <translation>点击按此列对全部数据排序。</translation>
    </message>
    <message>
        <source>The rows cannot be sorted by this column.</source>
        <translation>不能按此列排序。</translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardTenantPull</name>
    <message>
        <source>Replacing %1</source>
        <translation>正在替换 %1</translation>
    </message>
    <message>
        <source>The server sent &quot;%1&quot; for %2 of %3, not a whole number.</source>
        <translation>服务器为 %3 的 %2 发送了“%1”，不是整数。</translation>
    </message>
    <message>
        <source>%1: the server shows %2 rows (checksum %3), the workspace wrote %4 (%5); the data was left as it was.</source>
        <translation>%1：服务器显示 %2 行（校验和 %3），工作区写入了 %4 行（%5）；数据保持原样。</translation>
    </message>
    <message>
        <source>Recording %1</source>
        <translation>正在记录 %1</translation>
    </message>
    <message>
        <source>There is no tenant-wide board dataset &quot;%1&quot;.</source>
        <translation>不存在租户级看板数据集“%1”。</translation>
    </message>
    <message>
        <source>Reading %1</source>
        <translation>正在读取 %1</translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardValue</name>
    <message>
        <source>%1 h</source>
        <comment>hours with two decimals</comment>
        <translation>%1 小时</translation>
    </message>
    <message>
        <source>Unavailable: %1</source>
        <translation>暂不可用：%1</translation>
    </message>
    <message>
        <source>the total is too large to add up exactly</source>
        <translation>合计过大，无法精确相加</translation>
    </message>
    <message>
        <source>the difference is too large to compute exactly</source>
        <translation>差额过大，无法精确计算</translation>
    </message>
    <message>
        <source>%1 h</source>
        <comment>hours with one decimal</comment>
        <translation>%1 小时</translation>
    </message>
    <message>
        <source>No data: %1</source>
        <translation>无数据：%1</translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardViewCommand</name>
    <message>
        <source>Name the tenant with --tenant T (this workspace has: %1).</source>
        <translation>请用 --tenant T 指定租户（此工作区有：%1）。</translation>
    </message>
    <message>
        <source>Prints the %1 of a workspace.</source>
        <translation>输出工作区的%1。</translation>
    </message>
    <message>
        <source>The workspace file.</source>
        <translation>工作区文件。</translation>
    </message>
    <message>
        <source>The tenant (default: the only one with board data).</source>
        <translation>租户（默认：唯一有看板数据的租户）。</translation>
    </message>
    <message>
        <source>Read as this user: only their sites and boards (default: the owner).</source>
        <translation>以此用户身份读取：仅限其门店和看板（默认：工作区所有者）。</translation>
    </message>
    <message>
        <source>The site (default: the only one you may open).</source>
        <translation>门店（默认：您唯一可打开的门店）。</translation>
    </message>
    <message>
        <source>The business day to treat as today (default: the site&apos;s today).</source>
        <translation>视为今天的营业日（默认：门店的今天）。</translation>
    </message>
    <message>
        <source>The instant to treat as now (default: the clock).</source>
        <translation>视为当前的时刻（默认：系统时钟）。</translation>
    </message>
    <message>
        <source>The salary month (default: this month).</source>
        <translation>薪资月份（默认：本月）。</translation>
    </message>
    <message>
        <source>Only coaches with this skill code.</source>
        <translation>仅显示具备此技能代码的助教。</translation>
    </message>
    <message>
        <source>recall, potential, balance, recharge, recent, spend60, freq60 or loyalty.</source>
        <translation>recall、potential、balance、recharge、recent、spend60、freq60 或 loyalty。</translation>
    </message>
    <message>
        <source>The as-of business day (default: today).</source>
        <translation>截至营业日（默认：今天）。</translation>
    </message>
    <message>
        <source>The queue&apos;s instant (default: now).</source>
        <translation>队列统计时刻（默认：现在）。</translation>
    </message>
    <message>
        <source>The period&apos;s first business day.</source>
        <translation>期间的第一个营业日。</translation>
    </message>
    <message>
        <source>The period&apos;s last business day.</source>
        <translation>期间的最后一个营业日。</translation>
    </message>
    <message>
        <source>A named period: today, yesterday, this_week, last_week, this_month, last_month, last_7_days, last_30_days, last_60_days, this_quarter, this_year.</source>
        <translation>预设期间：today、yesterday、this_week、last_week、this_month、last_month、last_7_days、last_30_days、last_60_days、this_quarter、this_year。</translation>
    </message>
    <message>
        <source>Only rows whose name or number contains this text.</source>
        <translation>仅显示名称或编号包含此文本的行。</translation>
    </message>
    <message>
        <source>Sort by this column, ascending or descending.</source>
        <translation>按此列升序或降序排序。</translation>
    </message>
    <message>
        <source>The page to print (from 1).</source>
        <translation>要输出的页码（从 1 开始）。</translation>
    </message>
    <message>
        <source>Rows per page (default 20; 0 prints every row).</source>
        <translation>每页行数（默认 20；0 输出全部行）。</translation>
    </message>
    <message>
        <source>List the rows a cell was computed from.</source>
        <translation>列出计算该单元格所用的明细行。</translation>
    </message>
    <message>
        <source>The section to write as CSV (default: the first).</source>
        <translation>以 CSV 输出的分区（默认：第一个）。</translation>
    </message>
    <message>
        <source>CSV header with the data&apos;s column names instead of labels.</source>
        <translation>CSV 表头使用数据列名而非界面标签。</translation>
    </message>
    <message>
        <source>CSV without the byte-order mark that spreadsheets need for UTF-8.</source>
        <translation>CSV 不带字节顺序标记（电子表格识别 UTF-8 需要它）。</translation>
    </message>
    <message>
        <source>--%1 must be a whole number, not &quot;%2&quot;.</source>
        <translation>--%1 必须是整数，而不是“%2”。</translation>
    </message>
    <message>
        <source>--workspace PATH is required.</source>
        <translation>必须提供 --workspace PATH。</translation>
    </message>
    <message>
        <source>There is no workspace at %1.</source>
        <translation>%1 处没有工作区。</translation>
    </message>
    <message>
        <source>--now must be an ISO 8601 time with Z or an offset, not &quot;%1&quot;.</source>
        <translation>--now 必须是带 Z 或时区偏移的 ISO 8601 时间，而不是“%1”。</translation>
    </message>
    <message>
        <source>Name the site with --site S (you may open: %1).</source>
        <translation>请用 --site S 指定门店（您可打开：%1）。</translation>
    </message>
    <message>
        <source>Give either --preset or --from and --to, not both.</source>
        <translation>请给出 --preset 或 --from 与 --to 之一，不能同时给出。</translation>
    </message>
    <message>
        <source>--as-of must be an ISO 8601 time with Z or an offset, not &quot;%1&quot;.</source>
        <translation>--as-of 必须是带 Z 或时区偏移的 ISO 8601 时间，而不是“%1”。</translation>
    </message>
    <message>
        <source>There is no section &quot;%1&quot;; this board has: %2.</source>
        <translation>没有分区“%1”；此看板包含：%2。</translation>
    </message>
    <message>
        <source>Only members related to this coach id.</source>
        <translation>仅显示与该助教编号关联的会员。</translation>
    </message>
    <message>
        <source>The trend&apos;s buckets: day, week or month (default: by the period&apos;s length).</source>
        <translation>趋势的粒度：day、week 或 month（默认：按期间长度）。</translation>
    </message>
    <message>
        <source>Only coaches of these tiers (comma-separated).</source>
        <translation>只看这些档位的助教（逗号分隔）。</translation>
    </message>
    <message>
        <source>Also inactive coaches with no activity in the month.</source>
        <translation>也显示本月无业务的停用助教。</translation>
    </message>
    <message>
        <source>Only this rule (give it several times for several).</source>
        <translation>仅此规则（多个规则可重复指定）。</translation>
    </message>
    <message>
        <source>Only rules of this severity: low, medium, high or critical.</source>
        <translation>仅此严重级别的规则：low、medium、high 或 critical。</translation>
    </message>
    <message>
        <source>Only this target type.</source>
        <translation>仅此目标类型。</translation>
    </message>
    <message>
        <source>Only this reason category.</source>
        <translation>仅此原因分类。</translation>
    </message>
    <message>
        <source>Only exceptions this user acted on.</source>
        <translation>仅此用户处理过的特例。</translation>
    </message>
    <message>
        <source>Write to this file instead of standard output; an existing directory gets the export&apos;s standard file name.</source>
        <translation>写入此文件而非标准输出；若为已存在的目录，则在其中以导出的标准文件名写入。</translation>
    </message>
    <message>
        <source>--format must be text, json, csv, xlsx or pdf, not &quot;%1&quot;.</source>
        <translation>--format 必须是 text、json、csv、xlsx 或 pdf，而不是“%1”。</translation>
    </message>
    <message>
        <source>--format %1 writes a file: give --output FILE (or a directory, for the standard name, such as finance-board_S1_2026-05-01_2026-05-31_20260601T1030.%1).</source>
        <translation>--format %1 会写入文件：请用 --output FILE 指定文件（或指定目录，以标准文件名写入，例如 finance-board_S1_2026-05-01_2026-05-31_20260601T1030.%1）。</translation>
    </message>
    <message>
        <source>Exports are recorded in the workspace, which cannot be written: %1</source>
        <translation>导出需要记录在工作区中，但该工作区无法写入：%1</translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) written to %1.</source>
        <translation>
            <numerusform>已将 %n 行写入 %1。</numerusform>
        </translation>
    </message>
    <message>
        <source>The export could not be recorded, so it was not written: %1</source>
        <translation>导出未能记录，因此没有写出：%1</translation>
    </message>
    <message>
        <source>--%1 is missing: a range needs both --from and --to (YYYY-MM-DD).</source>
        <translation>缺少 --%1：日期范围需要同时给出 --from 和 --to（YYYY-MM-DD）。</translation>
    </message>
    <message>
        <source>--%1 must be a date YYYY-MM-DD, not &quot;%2&quot;.</source>
        <translation>--%1 必须是 YYYY-MM-DD 格式的日期，而不是“%2”。</translation>
    </message>
    <message>
        <source>There is no period preset &quot;%1&quot;; the presets are: %2.</source>
        <translation>没有名为“%1”的预设期间；可用的预设：%2。</translation>
    </message>
    <message>
        <source>The export could not be recorded, so it was not kept: %1</source>
        <translation>无法记录此次导出，因此未保留导出的文件：%1</translation>
    </message>
    <message>
        <source>text (default), json, csv (one section), xlsx (the whole board, every section and row) or pdf (the whole board, each section&apos;s first 200 rows); xlsx and pdf need --output.</source>
        <translation>text（默认）、json、csv（一个部分）、xlsx（整个看板，全部部分和全部行）或 pdf（整个看板，每部分前 200 行）；xlsx 和 pdf 需要 --output。</translation>
    </message>
    <message numerus="yes">
        <source>--page %1 is past the last page of %2: it has %3 page(s).</source>
        <translation>
            <numerusform>--page %1 超出了“%2”的最后一页：它共有 %3 页。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) of &quot;%2&quot; written to %1.</source>
        <translation>
            <numerusform>已将“%2”的 %n 行写入 %1。</numerusform>
        </translation>
    </message>
    <message>
        <source>A CSV holds one section; the board&apos;s others are %1 (name one with --section), and --format xlsx writes them all.</source>
        <translation>CSV 只含一个分区；看板的其他分区为 %1（用 --section 指定其一），--format xlsx 则写出全部分区。</translation>
    </message>
    <message>
        <source>%1 ends in .%2, but --format %3 writes a .%3 file: name it %4, or choose --format %2.</source>
        <translation>%1 的扩展名是 .%2，但 --format %3 写出的是 .%3 文件：请将其命名为 %4，或选择 --format %2。</translation>
    </message>
    <message>
        <source>--%1: %2</source>
        <translation>--%1：%2</translation>
    </message>
    <message>
        <source>%1 ends in .%2, but --format text writes plain text: leave --format out, or choose another name.</source>
        <translation>%1 的扩展名是 .%2，但 --format text 写出的是纯文本：请去掉 --format，或换一个文件名。</translation>
    </message>
    <message>
        <source>--section chooses the section of a CSV: add --format csv. The %1 output shows every section.</source>
        <translation>--section 用于选择 CSV 导出的部分：请加上 --format csv。%1 输出会显示每个部分。</translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardWorkspaceLoad</name>
    <message>
        <source>Reading the sites</source>
        <translation>读取门店</translation>
    </message>
    <message>
        <source>Reading the tenants</source>
        <translation>读取租户</translation>
    </message>
    <message>
        <source>There is no tenant &quot;%1&quot; in this workspace.</source>
        <translation>此工作区中没有租户“%1”。</translation>
    </message>
    <message>
        <source>Reading the last load</source>
        <translation>读取上次导入</translation>
    </message>
    <message>
        <source>Replacing %1</source>
        <translation>替换 %1</translation>
    </message>
    <message>
        <source>Rebuilding the members&apos; sites</source>
        <translation>重建会员所属门店</translation>
    </message>
    <message>
        <source>Recording the load</source>
        <translation>记录本次导入</translation>
    </message>
    <message>
        <source>Loading %1: %2</source>
        <translation>载入 %1：%2</translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardXlsxExport</name>
    <message>
        <source>Could not create %1.</source>
        <translation>无法创建 %1。</translation>
    </message>
    <message>
        <source>Section</source>
        <translation>分区</translation>
    </message>
    <message>
        <source>Indicator</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>环比</translation>
    </message>
    <message>
        <source>Compared with</source>
        <translation>对比区间</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Filters</source>
        <translation>筛选条件</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Board</source>
        <translation>看板</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Reconciliation warning</source>
        <translation>对账警告</translation>
    </message>
    <message>
        <source>Unavailable field</source>
        <translation>不可用字段</translation>
    </message>
    <message>
        <source>%1: %2 (its cells are empty)</source>
        <translation>%1：%2（相应单元格留空）</translation>
    </message>
    <message numerus="yes">
        <source>%n cell(s) could not be computed and are left empty.</source>
        <translation>
            <numerusform>有 %n 个单元格无法计算，已留空。</numerusform>
        </translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>A row came before its section.</source>
        <translation>一行数据先于其所属分区到达。</translation>
    </message>
    <message>
        <source>%1 sections were computed but %2 written.</source>
        <translation>已计算 %1 个分区，但写入了 %2 个。</translation>
    </message>
    <message>
        <source>the file could not be created in its folder</source>
        <translation>无法在其文件夹中创建该文件</translation>
    </message>
    <message>
        <source>no temporary file could be made (is the disk full?)</source>
        <translation>无法创建临时文件（磁盘是否已满？）</translation>
    </message>
    <message>
        <source>Key figures</source>
        <translation>关键指标</translation>
    </message>
</context>
<context>
    <name>riskdesk::BoardsPage</name>
    <message>
        <source>Board:</source>
        <translation>看板：</translation>
    </message>
    <message>
        <source>Board</source>
        <translation>看板</translation>
    </message>
    <message>
        <source>Site:</source>
        <translation>门店：</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>门店</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Compute the board again, past the cache (F5)</source>
        <translation>跳过缓存，重新计算看板（F5）</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>加载中…</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Skill types</source>
        <translation>技能类型</translation>
    </message>
    <message>
        <source>Coach board</source>
        <translation>助教看板</translation>
    </message>
    <message>
        <source>Customer board</source>
        <translation>客户看板</translation>
    </message>
    <message>
        <source>Finance board</source>
        <translation>财务看板</translation>
    </message>
    <message>
        <source>Risk-operations board</source>
        <translation>风控运营看板</translation>
    </message>
    <message>
        <source>Your role opens no boards. Finance users read every board; approvers and auditors read the risk-operations board.</source>
        <translation>您的角色无权查看任何看板。财务人员可查看全部看板；审批人和审计员可查看风控运营看板。</translation>
    </message>
    <message>
        <source>You are granted no site of this tenant, so there is no board to show. Ask an administrator for a site membership.</source>
        <translation>您在该租户下未被授权任何门店，因此没有可显示的看板。请联系管理员开通门店权限。</translation>
    </message>
    <message>
        <source>from the cache (F5 computes it again)</source>
        <translation>来自缓存（按 F5 重新计算）</translation>
    </message>
    <message>
        <source>Data may be late</source>
        <translation>数据可能滞后</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>No board on screen yet</source>
        <translation>尚未显示看板</translation>
    </message>
    <message>
        <source>Whole board as Excel (XLSX)…</source>
        <translation>整个看板导出为 Excel（XLSX）…</translation>
    </message>
    <message>
        <source>Whole board as PDF…</source>
        <translation>整个看板导出为 PDF…</translation>
    </message>
    <message>
        <source>Section as CSV</source>
        <translation>栏目导出为 CSV</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation>PDF 文档 (*.pdf)</translation>
    </message>
    <message>
        <source>CSV file (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>There is no board on screen to export.</source>
        <translation>屏幕上没有可导出的看板。</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) exported to %1</source>
        <translation>
            <numerusform>已将 %n 行导出到 %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>导出失败：%1</translation>
    </message>
    <message>
        <source>last synced with the backend at %1</source>
        <translation>最近一次与后端同步于 %1</translation>
    </message>
    <message>
        <source>not yet synced with the backend from this workspace</source>
        <translation>此工作区尚未与后端同步过</translation>
    </message>
    <message>
        <source>Offline — no result of this board is cached; it needs a first sync with the backend (%1).</source>
        <translation>离线 — 此看板没有缓存的结果，需要先与后端完成首次同步（%1）。</translation>
    </message>
    <message>
        <source>Offline — this site&apos;s board data has never been synced; the board needs a first sync with the backend (%1).</source>
        <translation>离线 — 此门店的看板数据从未同步过，需要先与后端完成首次同步（%1）。</translation>
    </message>
    <message>
        <source>Offline — showing the result cached at %1 (%2).</source>
        <translation>离线数据（截至 %1）— 显示 %1 缓存的结果（%2）。</translation>
    </message>
    <message>
        <source>Offline — showing the result computed at %1 from the data in this workspace (%2).</source>
        <translation>离线数据（截至 %1）— 显示 %1 根据本工作区数据计算的结果（%2）。</translation>
    </message>
    <message>
        <source>The backend cannot be reached. The figures are those this desktop already had; F5 computes them again from this workspace, and the next sync brings newer data.</source>
        <translation>无法连接后端。所显示的数字是本机已有的数据；按 F5 会根据本工作区重新计算，下次同步会带来更新的数据。</translation>
    </message>
    <message>
        <source>Data loaded through %1 · Refreshed at %2</source>
        <translation>数据截至 %1 · 刷新于 %2</translation>
    </message>
    <message>
        <source>Export a section as CSV, or the whole board as Excel (every section and tab, every row) or PDF (each section&apos;s first 200 rows)</source>
        <translation>将一个部分导出为 CSV，或将整个看板导出为 Excel（全部部分和标签页，全部行）或 PDF（每部分前 200 行）</translation>
    </message>
    <message>
        <source>Live figures of this workspace · Refreshed at %1</source>
        <translation>本工作区的实时数据 · 刷新于 %1</translation>
    </message>
</context>
<context>
    <name>riskdesk::BulkDecisionDialog</name>
    <message numerus="yes">
        <source>Reject %n exception(s)</source>
        <translation>
            <numerusform>驳回 %n 条特例</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Approve %n exception(s)</source>
        <translation>
            <numerusform>通过 %n 条特例</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n exception(s) will be rejected, each on its own: any the rules refuse are listed afterwards with the reason.</source>
        <translation>
            <numerusform>将逐条驳回 %n 条特例；规则不予受理的特例会在完成后连同原因一并列出。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n exception(s) will be approved, each on its own: any the rules refuse are listed afterwards with the reason.</source>
        <translation>
            <numerusform>将逐条通过 %n 条特例；规则不予受理的特例会在完成后连同原因一并列出。</numerusform>
        </translation>
    </message>
    <message>
        <source>By rule:</source>
        <translation>按规则：</translation>
    </message>
    <message>
        <source>Exceptions by rule</source>
        <translation>按规则统计的特例</translation>
    </message>
    <message numerus="yes">
        <source>%1: %n exception(s)</source>
        <translation>
            <numerusform>%1：%n 条</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n of them need two approvals: this is their first step, and a second approver must still approve them.</source>
        <translation>
            <numerusform>其中 %n 条需要两级审批：本次只是第一步，仍需另一位审批人通过。</numerusform>
        </translation>
    </message>
    <message>
        <source>Why are they rejected? Every one of them gets this reason; the applicants and the auditors will read it (at most %1 characters).</source>
        <translation>为什么驳回？每条特例都会记录这一原因，申请人和审计人员都会看到（最多 %1 个字符）。</translation>
    </message>
    <message>
        <source>Rejection reason</source>
        <translation>驳回原因</translation>
    </message>
    <message numerus="yes">
        <source>Reject %n</source>
        <translation>
            <numerusform>驳回 %n 条</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Approve %n</source>
        <translation>
            <numerusform>通过 %n 条</numerusform>
        </translation>
    </message>
    <message>
        <source>Ctrl+Return</source>
        <translation>Ctrl+Return</translation>
    </message>
    <message>
        <source>A rejection needs a reason. Say what is missing or wrong.</source>
        <translation>驳回必须填写原因。请说明缺少什么或哪里有问题。</translation>
    </message>
    <message>
        <source>The reason has %1 characters; at most %2 are allowed. Shorten it.</source>
        <translation>理由有 %1 个字符，最多允许 %2 个。请缩短。</translation>
    </message>
    <message numerus="yes">
        <source>%n of them are no longer pending.</source>
        <translation>
            <numerusform>其中 %n 条已不再是待审批状态。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n of them have a validity window that has ended: they are closed automatically instead.</source>
        <translation>
            <numerusform>其中 %n 条的有效期已结束：将改为自动关闭。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n of them are your own requests: another approver must decide them.</source>
        <translation>
            <numerusform>其中 %n 条是您本人提交的申请：须由其他审批人处理。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n of them you have already acted on: their next step needs a different approver.</source>
        <translation>
            <numerusform>其中 %n 条您已处理过：下一步须由其他审批人处理。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n of them need an approver; you are not signed in as one.</source>
        <translation>
            <numerusform>其中 %n 条须由审批人处理；您当前登录的不是审批人角色。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n of them for another reason of the rules.</source>
        <translation>
            <numerusform>其中 %n 条因规则的其他原因。</numerusform>
        </translation>
    </message>
    <message>
        <source>None of them can be rejected by you now:</source>
        <translation>这些特例目前都不能由您驳回：</translation>
    </message>
    <message>
        <source>None of them can be approved by you now:</source>
        <translation>这些特例目前都不能由您批准：</translation>
    </message>
    <message numerus="yes">
        <source>The rules will refuse %n of them:</source>
        <translation>
            <numerusform>规则将拒绝其中 %n 条：</numerusform>
        </translation>
    </message>
    <message>
        <source>The reason contains %1, which cannot be stored. Remove it.</source>
        <translation>理由中含有 %1，无法保存。请删除它。</translation>
    </message>
    <message numerus="yes">
        <source>%n of them are assigned to another approver: claim them first to decide them.</source>
        <translation>
            <numerusform>其中 %n 项已指派给另一位审批人：先认领才能决定。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n of them are routed to another approver, who alone can decide them now.</source>
        <translation>
            <numerusform>其中 %n 项已指定由另一位审批人审批，目前只有该审批人能决定。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>riskdesk::BulkDecisionPlan</name>
    <message>
        <source>Counting the matching exceptions</source>
        <translation>统计匹配的特例</translation>
    </message>
    <message>
        <source>Reading the exceptions to decide</source>
        <translation>读取待审批的特例</translation>
    </message>
</context>
<context>
    <name>riskdesk::BulkOutcomeDialog</name>
    <message numerus="yes">
        <source>%n decision(s) recorded</source>
        <translation>
            <numerusform>已记录 %n 项审批</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n of them a first step of two</source>
        <translation>
            <numerusform>其中 %n 项为两级审批的第一步</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n refused</source>
        <translation>
            <numerusform>%n 项未受理</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n not tried</source>
        <translation>
            <numerusform>%n 项未执行</numerusform>
        </translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source>.</source>
        <translation>。</translation>
    </message>
    <message>
        <source>Bulk decision</source>
        <translation>批量审批</translation>
    </message>
    <message>
        <source>The batch stopped: %1 Nothing of the unfinished part was stored; decide the rest again once the problem is solved.</source>
        <translation>批量审批已中止：%1 未完成的部分均未保存；问题解决后请重新审批其余特例。</translation>
    </message>
    <message>
        <source>Refused (the first %1 of %2):</source>
        <translation>未受理（共 %2 项，列出前 %1 项）：</translation>
    </message>
    <message>
        <source>Refused:</source>
        <translation>未受理：</translation>
    </message>
    <message>
        <source>Refused exceptions</source>
        <translation>未受理的特例</translation>
    </message>
    <message>
        <source>Exception</source>
        <translation>特例</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>riskdesk::CalendarDay</name>
    <message>
        <source>%1 is not a day of the calendar; a month is 01 to 12.</source>
        <translation>%1 不是日历上的日期；月份应为 01 至 12。</translation>
    </message>
    <message>
        <source>%1 is not a day of the calendar; %2-%3 has %4 days.</source>
        <translation>%1 不是日历上的日期；%2-%3 只有 %4 天。</translation>
    </message>
</context>
<context>
    <name>riskdesk::ChainCheckLog</name>
    <message>
        <source>Recording the chain&apos;s verification</source>
        <translation>记录哈希链校验结果</translation>
    </message>
    <message>
        <source>Reading the chain&apos;s last verification</source>
        <translation>读取哈希链最近一次校验结果</translation>
    </message>
    <message>
        <source>The chain breaks at entry %1: an entry was altered, removed or inserted. Verify the log on the approval log page for the details.</source>
        <translation>哈希链在第 %1 条记录处断开：有记录被篡改、删除或插入。请在审批日志页面校验以查看详情。</translation>
    </message>
    <message>
        <source>The log has no entries.</source>
        <translation>日志中没有记录。</translation>
    </message>
    <message>
        <source>All %1 entries are intact.</source>
        <translation>全部 %1 条记录完好。</translation>
    </message>
</context>
<context>
    <name>riskdesk::CoachBoard</name>
    <message>
        <source>Computing the coach board</source>
        <translation>计算助教看板</translation>
    </message>
    <message>
        <source>%1: gross pay against base + incentive + sprint bonus</source>
        <translation>%1：总收入与基础课收入 + 激励课收入 + 冲刺奖金之和不一致</translation>
    </message>
    <message>
        <source>Reading the customer-sourced stored value</source>
        <translation>读取客源储值</translation>
    </message>
    <message>
        <source>unknown coach #%1</source>
        <translation>未知助教 #%1</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <comment>coach name (number)</comment>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>Filters coaches by skill; figures cover all of a coach&apos;s services.</source>
        <translation>按助教技能筛选，指标为助教全部服务</translation>
    </message>
    <message>
        <source>The coach board shows a salary month: give --month YYYY-MM.</source>
        <translation>助教看板按工资月份展示：请用 --month YYYY-MM 指定月份。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an enabled skill type of this site; choose one of: %2.</source>
        <translation>“%1”不是本门店已启用的技能类型；可选：%2。</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Coach board</source>
        <translation>助教看板</translation>
    </message>
    <message>
        <source>PoP salary month %1</source>
        <translation>环比工资月份 %1</translation>
    </message>
    <message>
        <source>Coaches</source>
        <translation>助教</translation>
    </message>
    <message>
        <source>Coach</source>
        <translation>助教</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>档位</translation>
    </message>
    <message>
        <source>Service income</source>
        <translation>服务流水</translation>
    </message>
    <message>
        <source>Hours</source>
        <translation>折算工时</translation>
    </message>
    <message>
        <source>Effective hours</source>
        <translation>有效工时</translation>
    </message>
    <message>
        <source>Base hours</source>
        <translation>基础课时</translation>
    </message>
    <message>
        <source>Base-course income</source>
        <translation>基础课收入</translation>
    </message>
    <message>
        <source>Incentive-course income</source>
        <translation>激励课收入</translation>
    </message>
    <message>
        <source>Course cost</source>
        <translation>课时费用</translation>
    </message>
    <message>
        <source>Sprint bonus</source>
        <translation>冲刺奖金</translation>
    </message>
    <message>
        <source>Gross pay</source>
        <translation>总收入</translation>
    </message>
    <message>
        <source>Customers served</source>
        <translation>服务客户数</translation>
    </message>
    <message>
        <source>PoP service income</source>
        <translation>服务流水环比</translation>
    </message>
    <message>
        <source>PoP gross pay</source>
        <translation>总收入环比</translation>
    </message>
    <message>
        <source>PoP hours</source>
        <translation>工时环比</translation>
    </message>
    <message>
        <source>Top 3 customers</source>
        <translation>Top3 客户</translation>
    </message>
    <message>
        <source>Customer-sourced stored value</source>
        <translation>客源储值</translation>
    </message>
    <message>
        <source>Progress to next tier</source>
        <translation>升档进度</translation>
    </message>
    <message>
        <source>No tier configuration: the progress is not estimated.</source>
        <translation>未配置档位规则，不估算升档进度。</translation>
    </message>
    <message>
        <source>Not in the coach list: found only in the month&apos;s salary rows or service logs.</source>
        <translation>助教名单中没有此人：仅见于本月工资或服务记录。</translation>
    </message>
    <message>
        <source>Tier id %1; base course %2/h, incentive course %3/h</source>
        <translation>档位编号 %1；基础课 %2/小时，激励课 %3/小时</translation>
    </message>
    <message>
        <source>No salary row for the month.</source>
        <translation>本月无工资记录。</translation>
    </message>
    <message numerus="yes">
        <source>%n recharge(s), commission %1</source>
        <translation>
            <numerusform>%n 笔充值，提成 %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n coach(es) found only in salary rows or service logs, shown as unknown.</source>
        <translation>
            <numerusform>%n 名助教仅见于工资或服务记录，显示为未知助教。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Total (%n coach(es))</source>
        <translation>
            <numerusform>合计（%n 名助教）</numerusform>
        </translation>
    </message>
    <message>
        <source>Distinct customers of all these coaches, not the sum of the rows.</source>
        <translation>上述助教服务的去重客户数，不是各行之和。</translation>
    </message>
    <message>
        <source>PoP salary month %1 (whole); %2 is still running: its pay so far</source>
        <translation>环比工资月份 %1（整月）；%2 尚未结束，为目前的工资</translation>
    </message>
    <message>
        <source>not totalled: read for each coach on the page</source>
        <translation>不合计：按本页每位助教读取</translation>
    </message>
    <message>
        <source>not totalled: each coach&apos;s own progress</source>
        <translation>不合计：为每位助教各自的进度</translation>
    </message>
    <message>
        <source>Reading the site&apos;s tiers</source>
        <translation>读取门店的档位</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a tier of this site; choose among: %2.</source>
        <translation>“%1”不是本门店的档位；请从以下档位中选择：%2。</translation>
    </message>
</context>
<context>
    <name>riskdesk::CoachBoardSet</name>
    <message>
        <source>Computing the coach board</source>
        <translation>计算助教看板</translation>
    </message>
</context>
<context>
    <name>riskdesk::CoachDrill</name>
    <message>
        <source>Reading the service-log rows</source>
        <translation>读取服务记录</translation>
    </message>
    <message>
        <source>Service-log rows of %1</source>
        <translation>%1 的服务记录</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>服务单</translation>
    </message>
    <message>
        <source>Settled at</source>
        <translation>结算时间</translation>
    </message>
    <message>
        <source>Business day</source>
        <translation>营业日</translation>
    </message>
    <message>
        <source>Coach</source>
        <translation>助教</translation>
    </message>
    <message>
        <source>Member</source>
        <translation>会员</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>手机号</translation>
    </message>
    <message>
        <source>Hours</source>
        <translation>折算工时</translation>
    </message>
    <message>
        <source>Hours used</source>
        <translation>实际使用时长</translation>
    </message>
    <message>
        <source>Service income</source>
        <translation>服务流水</translation>
    </message>
    <message>
        <source>Skill</source>
        <translation>技能</translation>
    </message>
    <message>
        <source>Table</source>
        <translation>台桌</translation>
    </message>
    <message>
        <source>table #%1</source>
        <translation>台桌 #%1</translation>
    </message>
    <message numerus="yes">
        <source>%n distinct customer(s)</source>
        <translation>
            <numerusform>%Ln 位客户（去重）</numerusform>
        </translation>
    </message>
    <message>
        <source>Service income of these rows</source>
        <translation>以上记录的服务流水</translation>
    </message>
    <message>
        <source>Hours of these rows</source>
        <translation>以上记录的折算工时</translation>
    </message>
    <message>
        <source>Distinct customers of these rows</source>
        <translation>以上记录的去重客户数</translation>
    </message>
    <message>
        <source>Reading the salary rows</source>
        <translation>读取工资记录</translation>
    </message>
    <message>
        <source>Salary months of %1 (last 6)</source>
        <translation>%1 的工资月份（近 6 个月）</translation>
    </message>
    <message>
        <source>Salary rows of %1 for %2</source>
        <translation>%1 在 %2 的工资记录</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>档位</translation>
    </message>
    <message>
        <source>Base hours</source>
        <translation>基础课时</translation>
    </message>
    <message>
        <source>Effective hours</source>
        <translation>有效工时</translation>
    </message>
    <message>
        <source>Base-course income</source>
        <translation>基础课收入</translation>
    </message>
    <message>
        <source>Incentive-course income</source>
        <translation>激励课收入</translation>
    </message>
    <message>
        <source>Course cost</source>
        <translation>课时费用</translation>
    </message>
    <message>
        <source>Sprint bonus</source>
        <translation>冲刺奖金</translation>
    </message>
    <message>
        <source>Gross pay</source>
        <translation>总收入</translation>
    </message>
    <message>
        <source>The chosen month&apos;s figure</source>
        <translation>所选月份的数值</translation>
    </message>
    <message>
        <source>Sum of these rows</source>
        <translation>以上记录合计</translation>
    </message>
    <message>
        <source>Customers of %1 by intimacy</source>
        <translation>%1 的客户（按亲密度）</translation>
    </message>
    <message>
        <source>Rank</source>
        <translation>排名</translation>
    </message>
    <message>
        <source>Intimacy</source>
        <translation>亲密度</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>Calculated on</source>
        <translation>计算日期</translation>
    </message>
    <message>
        <source>Names unavailable</source>
        <translation>姓名暂不可用</translation>
    </message>
    <message>
        <source>Reading the recharge-commission rows</source>
        <translation>读取充值提成记录</translation>
    </message>
    <message>
        <source>Customer-sourced stored value of %1</source>
        <translation>%1 的客源储值</translation>
    </message>
    <message>
        <source>Recharged</source>
        <translation>充值金额</translation>
    </message>
    <message>
        <source>Recharges</source>
        <translation>充值笔数</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>会员数</translation>
    </message>
    <message>
        <source>Commission</source>
        <translation>提成</translation>
    </message>
    <message>
        <source>Cannot drill into &quot;%1&quot;: %2 Write COLUMN:COACH_ID or COLUMN:total, with COLUMN one of: %3.</source>
        <translation>无法下钻“%1”：%2 请写成 列名:助教编号 或 列名:total，列名可选：%3。</translation>
    </message>
    <message>
        <source>there is no such column.</source>
        <translation>没有这一列。</translation>
    </message>
    <message>
        <source>the top 3 has no total.</source>
        <translation>Top3 没有合计。</translation>
    </message>
    <message>
        <source>Finding the coach</source>
        <translation>查找助教</translation>
    </message>
    <message>
        <source>coach %1 is not on the board with these filters.</source>
        <translation>在当前筛选条件下，看板上没有助教 %1。</translation>
    </message>
    <message>
        <source>all coaches shown</source>
        <translation>所列全部助教</translation>
    </message>
    <message>
        <source>Coach board: the rows behind %1</source>
        <translation>助教看板：%1 的明细</translation>
    </message>
    <message>
        <source>Voided</source>
        <translation>废单</translation>
    </message>
    <message>
        <source>Voided rows are listed greyed out; they are never counted in the sums.</source>
        <translation>废单以灰色列出，从不计入合计。</translation>
    </message>
    <message>
        <source>voided</source>
        <translation>废单</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is neither a coach id, a coach number of this site nor total.</source>
        <translation>“%1”既不是助教 ID、本门店的助教编号，也不是 total。</translation>
    </message>
    <message>
        <source>the customer-sourced stored value has no total: it is read for each coach.</source>
        <translation>客源储值没有合计：它按每位助教分别读取。</translation>
    </message>
    <message numerus="yes">
        <source>&quot;%1&quot; is the number of %n coaches of this site; use a coach id.</source>
        <translation>
            <numerusform>“%1”是本门店 %n 位助教的编号；请使用助教 ID。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>riskdesk::CoachTop3</name>
    <message>
        <source>Reading the coaches&apos; customers by intimacy</source>
        <translation>按亲密度读取助教的客户</translation>
    </message>
    <message>
        <source>Reading the customers&apos; names</source>
        <translation>读取客户姓名</translation>
    </message>
    <message>
        <source>member #%1</source>
        <translation>会员 #%1</translation>
    </message>
</context>
<context>
    <name>riskdesk::CommandLine</name>
    <message>
        <source>How many exceptions to generate (default 5000).</source>
        <translation>生成多少条特例（默认 5000）。</translation>
    </message>
    <message>
        <source>Random seed; the same seed and anchor give the same workspace.</source>
        <translation>随机种子；种子和基准时间相同，生成的工作区也相同。</translation>
    </message>
    <message>
        <source>The demo&apos;s &quot;now&quot; (ISO-8601; default: the current time).</source>
        <translation>演示数据的“当前时间”（ISO-8601；默认取现在）。</translation>
    </message>
    <message>
        <source>Creates a demo workspace.</source>
        <translation>创建演示工作区。</translation>
    </message>
    <message>
        <source>--workspace PATH is required.</source>
        <translation>必须提供 --workspace 路径。</translation>
    </message>
    <message>
        <source>--exceptions must be a whole number of 0 or more, not &quot;%1&quot;.</source>
        <translation>--exceptions 必须是不小于 0 的整数，而不是“%1”。</translation>
    </message>
    <message>
        <source>--seed must be a whole number, not &quot;%1&quot;.</source>
        <translation>--seed 必须是整数，而不是“%1”。</translation>
    </message>
    <message>
        <source>--anchor must be an ISO-8601 time, not &quot;%1&quot;.</source>
        <translation>--anchor 必须是 ISO-8601 时间，而不是“%1”。</translation>
    </message>
    <message>
        <source>  %1 of %2 exceptions written</source>
        <translation>  已写入 %1 / %2 条特例</translation>
    </message>
    <message>
        <source>Demo workspace %1: %2 tenants, %3 users, %4 rules, %5 exceptions, %6 log entries in %7 s.</source>
        <translation>演示工作区 %1：%2 个租户、%3 个用户、%4 条规则、%5 条特例、%6 条日志，用时 %7 秒。</translation>
    </message>
    <message>
        <source>Only this tenant (default: every tenant).</source>
        <translation>只看此租户（默认全部租户）。</translation>
    </message>
    <message>
        <source>Only this status: %1.</source>
        <translation>只看此状态：%1。</translation>
    </message>
    <message>
        <source>json (default) or csv.</source>
        <translation>json（默认）或 csv。</translation>
    </message>
    <message>
        <source>Lists exceptions with the reference field names.</source>
        <translation>按参考字段名列出特例。</translation>
    </message>
    <message>
        <source>--format must be json or csv, not &quot;%1&quot;.</source>
        <translation>--format 只能是 json 或 csv，而不是“%1”。</translation>
    </message>
    <message>
        <source>--status must be one of %1, not &quot;%2&quot;.</source>
        <translation>--status 必须是 %1 之一，而不是“%2”。</translation>
    </message>
    <message>
        <source>Cannot write to standard output.</source>
        <translation>无法写入标准输出。</translation>
    </message>
    <message>
        <source>The user who decides.</source>
        <translation>作出决定的用户。</translation>
    </message>
    <message>
        <source>Comment; required to reject.</source>
        <translation>意见；驳回时必填。</translation>
    </message>
    <message>
        <source>The exception&apos;s tenant (default: found from the id).</source>
        <translation>特例所属租户（默认按 ID 查找）。</translation>
    </message>
    <message>
        <source>The exception.</source>
        <translation>特例。</translation>
    </message>
    <message>
        <source>approve, reject or withdraw.</source>
        <translation>approve（通过）、reject（驳回）或 withdraw（撤回）。</translation>
    </message>
    <message>
        <source>Approves, rejects or withdraws an exception.</source>
        <translation>通过、驳回或撤回一条特例。</translation>
    </message>
    <message>
        <source>Give the exception id and the action, e.g.: riskdesk decide --workspace W --as li.wei exc-0123456789ab approve</source>
        <translation>请给出特例 ID 和操作，例如：riskdesk decide --workspace W --as li.wei exc-0123456789ab approve</translation>
    </message>
    <message>
        <source>The action must be approve, reject or withdraw, not &quot;%1&quot;.</source>
        <translation>操作只能是 approve、reject 或 withdraw，而不是“%1”。</translation>
    </message>
    <message>
        <source>--as USER_ID is required: say who decides.</source>
        <translation>必须提供 --as 用户ID：说明由谁作出决定。</translation>
    </message>
    <message>
        <source>There is no user &quot;%1&quot; in this workspace.</source>
        <translation>此工作区中没有用户“%1”。</translation>
    </message>
    <message>
        <source>%1 is now %2.</source>
        <translation>%1 现为%2。</translation>
    </message>
    <message>
        <source>Step %1 recorded; %2 now waits for %3.</source>
        <translation>已记录第 %1 步；%2 现等待 %3 审批。</translation>
    </message>
    <message>
        <source>another approver</source>
        <translation>另一位审批人</translation>
    </message>
    <message>
        <source>The CSV file to write.</source>
        <translation>要写入的 CSV 文件。</translation>
    </message>
    <message>
        <source>log export needs --tenant T and --output FILE.csv.</source>
        <translation>log export 需要 --tenant 租户 和 --output 文件.csv。</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Wrote %1.</source>
        <translation>已写入 %1。</translation>
    </message>
    <message>
        <source>%1: intact. %2 Head: entry %3, %4.</source>
        <translation>%1：完整。%2链头：第 %3 条，%4。</translation>
    </message>
    <message>
        <source>%1: BROKEN at entry %2. %3</source>
        <translation>%1：在第 %2 条处断裂。%3</translation>
    </message>
    <message>
        <source>The workspace file.</source>
        <translation>工作区文件。</translation>
    </message>
    <message>
        <source>There is no tenant &quot;%1&quot; in this workspace (tenants: %2).</source>
        <translation>此工作区中没有租户“%1”（现有租户：%2）。</translation>
    </message>
    <message>
        <source>The exception&apos;s tenant (default: whichever holds it).</source>
        <translation>特例所属租户（默认：包含该特例的租户）。</translation>
    </message>
    <message>
        <source>The exception to preview.</source>
        <translation>要预览的特例。</translation>
    </message>
    <message>
        <source>Replays an exception&apos;s target history with and without the waiver.</source>
        <translation>按豁免与不豁免两种情况回放特例目标的历史记录。</translation>
    </message>
    <message>
        <source>Name one exception: riskdesk replay --workspace PATH EXC_ID</source>
        <translation>请指定一个特例：riskdesk replay --workspace PATH EXC_ID</translation>
    </message>
    <message>
        <source>There is no exception %1 in this workspace.</source>
        <translation>此工作区中没有特例 %1。</translation>
    </message>
    <message>
        <source>%1: %2 of %3 events in the validity window. If approved: hits waived %4 (amount %5), decisions changed %6.</source>
        <translation>%1：%3 条记录中有 %2 条在有效期内。若批准：豁免命中 %4 次（金额 %5），改变决定 %6 项。</translation>
    </message>
    <message>
        <source>Exports one tenant&apos;s approval log as CSV, with both hashes of every entry.</source>
        <translation>将一个租户的审批日志导出为 CSV，每条记录附带前后两个哈希值。</translation>
    </message>
    <message>
        <source>The tenant whose log to export.</source>
        <translation>要导出其日志的租户。</translation>
    </message>
    <message>
        <source>Only entries at or after this time or date (UTC).</source>
        <translation>只导出此时间或日期（UTC）及之后的记录。</translation>
    </message>
    <message>
        <source>Only entries before this time, or up to the end of this date (UTC).</source>
        <translation>只导出此时间之前，或截至此日期结束（UTC）的记录。</translation>
    </message>
    <message>
        <source>Only entries by approvers whose id or name contains this text.</source>
        <translation>只导出审批人 ID 或姓名包含此文字的记录。</translation>
    </message>
    <message>
        <source>Only this action: %1.</source>
        <translation>只导出此操作：%1。</translation>
    </message>
    <message>
        <source>--%1 must be a date (2026-11-30) or an ISO-8601 time, not &quot;%2&quot;.</source>
        <translation>--%1 必须是日期（如 2026-11-30）或 ISO-8601 时间，而不是“%2”。</translation>
    </message>
    <message>
        <source>--from must come before --to.</source>
        <translation>--from 必须早于 --to。</translation>
    </message>
    <message>
        <source>--action must be one of %1, not &quot;%2&quot;.</source>
        <translation>--action 必须是 %1 之一，而不是“%2”。</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>%1: BROKEN. %2</source>
        <translation>%1：已损坏。%2</translation>
    </message>
    <message>
        <source>%1: intact. %2</source>
        <translation>%1：完好。%2</translation>
    </message>
    <message>
        <source>Verifies the hash-chained approval log.</source>
        <translation>校验哈希链式审批日志。</translation>
    </message>
    <message>
        <source>Check the server&apos;s log instead of a workspace&apos;s.</source>
        <translation>校验服务器上的日志，而非工作区的日志。</translation>
    </message>
    <message>
        <source>Give one of --workspace PATH, --url URL or --csv FILE.</source>
        <translation>请只给出 --workspace PATH、--url URL 或 --csv FILE 中的一个。</translation>
    </message>
    <message>
        <source>Exception %1 belongs to tenant %2, not %3.</source>
        <translation>特例 %1 属于租户 %2，而不是 %3。</translation>
    </message>
    <message>
        <source>Reads the whole workspace file for damage (SQLite&apos;s checks).</source>
        <translation>读取整个工作区文件以检查损坏（SQLite 自带的检查）。</translation>
    </message>
    <message>
        <source>Also match every index entry to its row (slower).</source>
        <translation>同时核对每个索引条目与其数据行（较慢）。</translation>
    </message>
    <message>
        <source>%1: no damage found (%2 check, %3 s).</source>
        <translation>%1：未发现损坏（%2检查，%3 秒）。</translation>
    </message>
    <message>
        <source>full</source>
        <translation>完整</translation>
    </message>
    <message>
        <source>quick</source>
        <translation>快速</translation>
    </message>
    <message>
        <source>It is open read-only here: it can be read and verified, not changed.</source>
        <translation>此处以只读方式打开：可以查看和校验，但不能修改。</translation>
    </message>
    <message>
        <source>%1 holds no log entries: there is nothing to verify.</source>
        <translation>%1 中没有日志记录：无可校验。</translation>
    </message>
    <message>
        <source>--csv checks the whole file; export one tenant with log export --tenant instead of giving --tenant here.</source>
        <translation>--csv 校验整个文件；如只需一个租户，请用 log export --tenant 导出，而不要在此给出 --tenant。</translation>
    </message>
    <message>
        <source>Makes a new, empty workspace (no tenants, users or exceptions).</source>
        <translation>新建一个空工作区（没有租户、用户或特例）。</translation>
    </message>
    <message>
        <source>%1 already exists; a workspace is only made where there is none.</source>
        <translation>%1 已存在；只在没有文件的位置新建工作区。</translation>
    </message>
    <message>
        <source>Made an empty workspace at %1.</source>
        <translation>已在 %1 新建空工作区。</translation>
    </message>
    <message>
        <source>Multiplies the boards&apos; demo business (coaches, members, service logs, orders) by N, 1 to %1 (default 1; 0: no board data).</source>
        <translation>将看板演示业务（助教、会员、服务记录、订单）放大 N 倍，取 1 到 %1（默认 1；0 表示不生成看板数据）。</translation>
    </message>
    <message>
        <source>--board-scale must be a whole number from 0 to %1, not &quot;%2&quot;.</source>
        <translation>--board-scale 必须是 0 到 %1 之间的整数，而不是“%2”。</translation>
    </message>
    <message>
        <source>Boards: sites S1 and S2 of tenant acme, %1 service logs, %2 recharge orders, %3 board rows in all.</source>
        <translation>看板：租户 acme 的门店 S1 和 S2，%1 条服务记录、%2 笔充值订单，看板数据共 %3 行。</translation>
    </message>
    <message>
        <source>Assigns a pending exception to an approver.</source>
        <translation>将待审批的特例指派给审批人。</translation>
    </message>
    <message>
        <source>Assigns a pending exception to yourself.</source>
        <translation>将待审批的特例指派给自己。</translation>
    </message>
    <message>
        <source>Leaves a pending exception unassigned.</source>
        <translation>取消待审批特例的指派。</translation>
    </message>
    <message>
        <source>Escalates an overdue exception to a lead.</source>
        <translation>将超时的特例升级给主管。</translation>
    </message>
    <message>
        <source>The approver who makes the change.</source>
        <translation>执行此变更的审批人。</translation>
    </message>
    <message>
        <source>Who the exception goes to.</source>
        <translation>特例交给谁。</translation>
    </message>
    <message>
        <source>Give one exception id, e.g.: riskdesk exceptions %1 --workspace W --as li.wei exc-0123456789ab</source>
        <translation>请给出一个特例编号，例如：riskdesk exceptions %1 --workspace W --as li.wei exc-0123456789ab</translation>
    </message>
    <message>
        <source>--as USER_ID is required: say who makes the change.</source>
        <translation>必须提供 --as USER_ID：说明由谁执行此变更。</translation>
    </message>
    <message>
        <source>--to USER_ID is required: say who the exception goes to.</source>
        <translation>必须提供 --to USER_ID：说明特例交给谁。</translation>
    </message>
    <message>
        <source>%1 is released; nobody is assigned.</source>
        <translation>%1 已释放，当前未指派给任何人。</translation>
    </message>
    <message>
        <source>%1 is escalated to %2.</source>
        <translation>%1 已升级给 %2。</translation>
    </message>
    <message>
        <source>%1 is assigned to %2.</source>
        <translation>%1 已指派给 %2。</translation>
    </message>
    <message>
        <source>Adds a comment to an exception&apos;s thread.</source>
        <translation>为特例的讨论串添加一条评论。</translation>
    </message>
    <message>
        <source>Prints an exception&apos;s comment thread, oldest first, as JSON.</source>
        <translation>以 JSON 输出特例的评论串，最早的在前。</translation>
    </message>
    <message>
        <source>The user who reads or writes the comments.</source>
        <translation>阅读或撰写评论的用户。</translation>
    </message>
    <message>
        <source>The comment; @login mentions a user.</source>
        <translation>评论内容；@登录名 可提及一位用户。</translation>
    </message>
    <message>
        <source>Give one exception id, e.g.: riskdesk comments list --workspace W --as li.wei exc-0123456789ab</source>
        <translation>请给出一个特例编号，例如：riskdesk comments list --workspace W --as li.wei exc-0123456789ab</translation>
    </message>
    <message>
        <source>--as USER_ID is required: say who you are.</source>
        <translation>必须提供 --as USER_ID：请说明您是谁。</translation>
    </message>
    <message>
        <source>--text TEXT is required: say what the comment is.</source>
        <translation>必须提供 --text TEXT：请给出评论内容。</translation>
    </message>
    <message>
        <source>Comment added to %1; it waits in the outbox for the next sync.</source>
        <translation>已为 %1 添加评论；它在发件箱中等待下次同步。</translation>
    </message>
    <message>
        <source>%1 belongs to several tenants (%2): say which with --tenant or the request&apos;s tenant_id.</source>
        <translation>%1 属于多个租户（%2）：请用 --tenant 或申请中的 tenant_id 指明。</translation>
    </message>
    <message>
        <source>Files a request: a pending exception, queued for the server.</source>
        <translation>提交申请：生成一条待审批特例，并排队等待发送到服务器。</translation>
    </message>
    <message>
        <source>The applicant who files it.</source>
        <translation>提交申请的申请人。</translation>
    </message>
    <message>
        <source>The request: one JSON object with the reference&apos;s fields (%1).</source>
        <translation>申请内容：一个 JSON 对象，字段与参考接口相同（%1）。</translation>
    </message>
    <message>
        <source>A file to attach (an image, PDF, text or CSV); give it once per file.</source>
        <translation>要附加的文件（图片、PDF、文本或 CSV）；每个文件给一次。</translation>
    </message>
    <message>
        <source>The tenant (default: the request&apos;s tenant_id, or the applicant&apos;s only tenant).</source>
        <translation>租户（默认：申请中的 tenant_id，或申请人唯一所属的租户）。</translation>
    </message>
    <message>
        <source>--as USER_ID is required: say who files the request.</source>
        <translation>必须提供 --as USER_ID：说明由谁提交申请。</translation>
    </message>
    <message>
        <source>--input REQUEST.json is required.</source>
        <translation>必须提供 --input REQUEST.json。</translation>
    </message>
    <message>
        <source>applicant_id is %1 but --as is %2: a request is filed by its applicant.</source>
        <translation>applicant_id 为 %1，但 --as 为 %2：申请须由申请人本人提交。</translation>
    </message>
    <message>
        <source>tenant_id is %1 but --tenant is %2.</source>
        <translation>tenant_id 为 %1，但 --tenant 为 %2。</translation>
    </message>
    <message>
        <source>%1 is filed: pending, waiting to be sent to the server.</source>
        <translation>%1 已提交：待审批，等待发送到服务器。</translation>
    </message>
    <message>
        <source>%1: a selection, its entries intact. %2</source>
        <translation>%1：为筛选导出，其中条目完好。%2</translation>
    </message>
    <message>
        <source>Check a file written by log export, on its own (exit code 0: the whole chain from its first entry is intact; 1: broken; 3: a filtered export whose entries are intact).</source>
        <translation>单独校验由 log export 导出的文件（退出码 0：自第一条起的整条链完好；1：已损坏；3：筛选导出，其中条目完好）。</translation>
    </message>
    <message>
        <source>one request (a JSON object {…})</source>
        <translation>一个申请（一个 JSON 对象 {…}）</translation>
    </message>
    <message>
        <source>%1: BROKEN. This desktop verified its approval log up to entry %2, but the workspace no longer has this tenant.</source>
        <translation>%1：已损坏。本机曾验证其审批日志至第 %2 条，但工作区中已没有该租户。</translation>
    </message>
    <message>
        <source>The exception id is empty: give one such as exc-0123456789ab (the queue and &quot;riskdesk exceptions list&quot; show them).</source>
        <translation>特例编号为空：请给出编号，例如 exc-0123456789ab（审批队列和 &quot;riskdesk exceptions list&quot; 会列出编号）。</translation>
    </message>
    <message>
        <source>There is no exception &quot;%1&quot; in the tenants of %2.</source>
        <translation>%2 所属的租户中没有特例 &quot;%1&quot;。</translation>
    </message>
    <message>
        <source>--comment TEXT is required to reject: say why, e.g. --comment &quot;The invoice does not match the claim.&quot;</source>
        <translation>驳回时必须用 --comment TEXT 说明原因，例如 --comment &quot;发票与报销内容不符。&quot;</translation>
    </message>
    <message>
        <source>--%1: %2</source>
        <translation>--%1：%2</translation>
    </message>
    <message>
        <source>%1 ends in .%2, but log export writes CSV: name it %3.</source>
        <translation>%1 的扩展名是 .%2，但 log export 写出的是 CSV 文件：请将其命名为 %3。</translation>
    </message>
    <message>
        <source>Warning: the approval log of %1 is broken at entry %2: %3 The file holds the entries as they are stored and is not marked as the whole log; run log verify for the details.</source>
        <translation>警告：%1 的审批日志在第 %2 条处断裂：%3文件按存储原样保存了这些条目，且未标明为完整日志；详情请运行 log verify。</translation>
    </message>
    <message>
        <source>The folder %1 for the workspace does not exist; check the path, or make the folder first.</source>
        <translation>工作区所在的文件夹 %1 不存在；请检查路径，或先创建该文件夹。</translation>
    </message>
    <message>
        <source>%1 is not a user of tenant &quot;%2&quot; (their tenants: %3).</source>
        <translation>%1 不是租户“%2”的用户（其所属租户：%3）。</translation>
    </message>
</context>
<context>
    <name>riskdesk::CommandParser</name>
    <message>
        <source>%1 is given more than once.</source>
        <translation>%1 重复指定了多次。</translation>
    </message>
    <message>
        <source>See: %1 %2 --help</source>
        <translation>详见：%1 %2 --help</translation>
    </message>
    <message>
        <source>Usage: %1 %2 [options]%3</source>
        <translation>用法：%1 %2 [选项]%3</translation>
    </message>
    <message>
        <source>%1 %2 takes no argument &quot;%3&quot; (only options).</source>
        <translation>%1 %2 不接受参数“%3”（只接受选项）。</translation>
    </message>
    <message numerus="yes">
        <source>Unexpected extra argument &quot;%1&quot; (%2 %3 takes %n argument(s)).</source>
        <translation>
            <numerusform>多余的参数“%1”（%2 %3 只接受 %n 个参数）。</numerusform>
        </translation>
    </message>
    <message>
        <source>Open the workspace read-only: nothing is written to the file, not even the record of this check, so its bytes stay as they were.</source>
        <translation>以只读方式打开工作区：不向文件写入任何内容（连本次检查的记录也不写），文件的字节保持原样。</translation>
    </message>
</context>
<context>
    <name>riskdesk::CommandTable</name>
    <message>
        <source>Usage:</source>
        <translation>用法：</translation>
    </message>
    <message>
        <source>See: %1 %2 COMMAND --help</source>
        <translation>详见：%1 %2 子命令 --help</translation>
    </message>
    <message>
        <source>--lang en|zh_CN, --help and --version work before or after the command; the window&apos;s options given before a command go to the command.</source>
        <translation>--lang en|zh_CN、--help 和 --version 可放在命令之前或之后；写在命令之前的窗口选项会交给该命令。</translation>
    </message>
    <message>
        <source>Exit status: 0 done, 1 refused or failed, 2 bad usage.</source>
        <translation>退出码：0 完成，1 被拒绝或失败，2 用法错误。</translation>
    </message>
    <message>
        <source>Unknown command &quot;%1&quot;. See: %2 --help</source>
        <translation>未知命令“%1”。详见：%2 --help</translation>
    </message>
    <message>
        <source>Unknown command &quot;%1&quot;.</source>
        <translation>未知命令“%1”。</translation>
    </message>
    <message>
        <source>&quot;%1 %2&quot; needs a command right after it: %3.</source>
        <translation>“%1 %2”后面需紧跟子命令：%3。</translation>
    </message>
    <message>
        <source>Unknown command &quot;%1 %2&quot;; available: %3.</source>
        <translation>未知命令“%1 %2”；可用的子命令：%3。</translation>
    </message>
    <message>
        <source>Exit status: 0 done, 1 refused or failed, 2 bad usage, 3 (log verify --csv) the file is an intact part of the log, not the whole chain.</source>
        <translation>退出码：0 完成，1 被拒绝或失败，2 用法错误，3（log verify --csv）文件是日志中完好的一部分，而非整条链。</translation>
    </message>
</context>
<context>
    <name>riskdesk::CommentService</name>
    <message>
        <source>Reading the users to mention</source>
        <translation>读取可提及的用户</translation>
    </message>
    <message>
        <source>Reading the comments</source>
        <translation>读取评论</translation>
    </message>
    <message>
        <source>%1 is not an approver of this tenant; only approvers comment on exceptions.</source>
        <translation>%1 不是该租户的审批人；只有审批人可以评论特例。</translation>
    </message>
    <message>
        <source>Storing the comment</source>
        <translation>保存评论</translation>
    </message>
</context>
<context>
    <name>riskdesk::CommentSync</name>
    <message>
        <source>Reading the comments to send</source>
        <translation>读取待发送的评论</translation>
    </message>
    <message>
        <source>Recording the server&apos;s answer</source>
        <translation>记录服务器的答复</translation>
    </message>
    <message>
        <source>%1: the server did not take the comment: %2</source>
        <translation>%1：服务器未接受该评论：%2</translation>
    </message>
    <message>
        <source>Reading the comment cursor</source>
        <translation>读取评论游标</translation>
    </message>
    <message>
        <source>Copying the server&apos;s comments</source>
        <translation>复制服务器上的评论</translation>
    </message>
    <message>
        <source>Keeping the comment cursor</source>
        <translation>保存评论游标</translation>
    </message>
</context>
<context>
    <name>riskdesk::CommentText</name>
    <message>
        <source>A comment cannot contain the character U+0000.</source>
        <translation>评论不能包含字符 U+0000。</translation>
    </message>
    <message>
        <source>Write something: a comment cannot be blank.</source>
        <translation>请写点内容：评论不能为空。</translation>
    </message>
    <message>
        <source>A comment has at most %1 characters; this one has %2.</source>
        <translation>评论最多 %1 个字符；此评论有 %2 个。</translation>
    </message>
    <message>
        <source>A comment cannot contain a control character (%1); remove it.</source>
        <translation>评论不能包含控制字符（%1）；请删除它。</translation>
    </message>
</context>
<context>
    <name>riskdesk::CommentThreadView</name>
    <message>
        <source>Comments</source>
        <translation>评论</translation>
    </message>
    <message>
        <source>New comment</source>
        <translation>新评论</translation>
    </message>
    <message>
        <source>Add a comment… (@ to mention someone, Ctrl+Enter to send)</source>
        <translation>添加评论…（输入 @ 提及他人，Ctrl+Enter 发送）</translation>
    </message>
    <message>
        <source>Send comment</source>
        <translation>发送评论</translation>
    </message>
    <message>
        <source>Send the comment (Ctrl+Enter)</source>
        <translation>发送评论（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Comments (%1)</source>
        <translation>评论（%1）</translation>
    </message>
    <message>
        <source>not yet on the server</source>
        <translation>尚未同步到服务器</translation>
    </message>
    <message>
        <source>the server refused it: %1</source>
        <translation>服务器拒绝了它：%1</translation>
    </message>
    <message>
        <source>No comments yet.</source>
        <translation>暂无评论。</translation>
    </message>
    <message>
        <source>%1 of %2 characters: %3 too many</source>
        <translation>%1 / %2 字：超出 %3 字</translation>
    </message>
    <message>
        <source>%1 of %2 characters</source>
        <translation>%1 / %2 字</translation>
    </message>
</context>
<context>
    <name>riskdesk::Console</name>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
</context>
<context>
    <name>riskdesk::CopyStream</name>
    <message>
        <source>The server sent a row this version cannot read.</source>
        <translation>服务器发来了本版本无法读取的行。</translation>
    </message>
</context>
<context>
    <name>riskdesk::CredentialStore</name>
    <message>
        <source>the keychain did not answer</source>
        <translation>钥匙串无响应</translation>
    </message>
</context>
<context>
    <name>riskdesk::CustomerBoard</name>
    <message>
        <source>Reading the snapshot date</source>
        <translation>读取快照日期</translation>
    </message>
    <message>
        <source>Counting the members</source>
        <translation>统计会员数</translation>
    </message>
    <message>
        <source>Finding the page</source>
        <translation>定位页面</translation>
    </message>
    <message>
        <source>Reading the members</source>
        <translation>读取会员</translation>
    </message>
    <message>
        <source>Reading the previous snapshot</source>
        <translation>读取上期快照</translation>
    </message>
    <message>
        <source>Reading the previous period</source>
        <translation>读取上期数据</translation>
    </message>
    <message>
        <source>Reading the refunds</source>
        <translation>读取退款</translation>
    </message>
    <message>
        <source>Customer board</source>
        <translation>客户看板</translation>
    </message>
    <message>
        <source>Member</source>
        <translation>会员</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>手机号</translation>
    </message>
    <message>
        <source>Days since last visit</source>
        <translation>距上次到店天数</translation>
    </message>
    <message>
        <source>Stored-value balance</source>
        <translation>储值余额</translation>
    </message>
    <message>
        <source>Related coaches</source>
        <translation>关联助教</translation>
    </message>
    <message>
        <source>From valid service logs on or before the as-of day.</source>
        <translation>取自截至日及之前的有效服务记录。</translation>
    </message>
    <message numerus="yes">
        <source>%n member(s)</source>
        <translation>
            <numerusform>%Ln 位会员</numerusform>
        </translation>
    </message>
    <message>
        <source>Balances are current values, not the balances of %1.</source>
        <translation>余额为当前值，并非 %1 当日的余额。</translation>
    </message>
    <message numerus="yes">
        <source>Refunds in the period: %1 (%n order(s)); refunded orders are not ranked.</source>
        <translation>
            <numerusform>期间退款：%1（%n 笔）；已退款订单不参与排名。</numerusform>
        </translation>
    </message>
    <message>
        <source>Coach-service spend only (ledger amounts of coach service logs).</source>
        <translation>仅含助教服务消费（助教服务记录的流水金额）。</translation>
    </message>
    <message>
        <source>Only members related to coach #%1.</source>
        <translation>仅显示与助教 #%1 关联的会员。</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>会员数</translation>
    </message>
    <message>
        <source>%1, total</source>
        <translation>%1合计</translation>
    </message>
    <message>
        <source>Refunds in the period</source>
        <translation>期间退款</translation>
    </message>
    <message>
        <source>Scores do not add up: the totals row gives the mean %1 of the members that have one.</source>
        <translation>分值不能相加：合计行给出有该分值的会员的平均 %1。</translation>
    </message>
    <message>
        <source>%1, mean</source>
        <translation>%1均值</translation>
    </message>
    <message>
        <source>no member to take the mean of</source>
        <translation>没有可取均值的会员</translation>
    </message>
    <message>
        <source>Reading the site&apos;s coaches</source>
        <translation>读取门店的助教</translation>
    </message>
    <message>
        <source>There is no coach #%1 at site %2.</source>
        <translation>门店 %2 没有编号为 #%1 的助教。</translation>
    </message>
</context>
<context>
    <name>riskdesk::CustomerDimensions</name>
    <message>
        <source>Recall</source>
        <translation>召回</translation>
    </message>
    <message>
        <source>Potential</source>
        <translation>潜力</translation>
    </message>
    <message>
        <source>Balance</source>
        <translation>余额</translation>
    </message>
    <message>
        <source>Recharge</source>
        <translation>充值</translation>
    </message>
    <message>
        <source>Recent visit</source>
        <translation>最近到店</translation>
    </message>
    <message>
        <source>60-day spend</source>
        <translation>60天消费</translation>
    </message>
    <message>
        <source>60-day frequency</source>
        <translation>60天频次</translation>
    </message>
    <message>
        <source>Loyalty</source>
        <translation>忠诚度</translation>
    </message>
    <message>
        <source>Scores of %1, the latest calculation on or before %2; computed by the data platform.</source>
        <translation>%1 的分值（%2 及之前最近一次计算），由数据平台计算。</translation>
    </message>
    <message>
        <source>No scores were calculated on or before %1.</source>
        <translation>%1 及之前没有计算过分值。</translation>
    </message>
    <message>
        <source>Current balances of the members&apos; card accounts at the site.</source>
        <translation>会员在本门店各卡账户的当前余额。</translation>
    </message>
    <message>
        <source>Valid recharge orders (not voided, not refunded) paid in %1.</source>
        <translation>%1 内支付的有效充值订单（未作废、未退款）。</translation>
    </message>
    <message>
        <source>Last visit on or before %1; visits counted in %2.</source>
        <translation>%1 及之前的最近一次到店；到店次数按 %2 统计。</translation>
    </message>
    <message>
        <source>Coach-service spend of valid service logs in the 60 business days %1.</source>
        <translation>%1 这 60 个营业日内有效服务记录的助教服务消费。</translation>
    </message>
    <message>
        <source>Visits in 60 days from the summary of %1 (the latest on or before %2); spend over %3.</source>
        <translation>60 天到店次数取自 %1 的消费汇总（%2 及之前最近一次）；消费按 %3 统计。</translation>
    </message>
    <message>
        <source>No consumption summary was calculated on or before %1.</source>
        <translation>%1 及之前没有消费汇总。</translation>
    </message>
    <message>
        <source>Coach-service spend (60 days)</source>
        <translation>助教服务消费（60天）</translation>
    </message>
    <message>
        <source>WBI</source>
        <translation>WBI</translation>
    </message>
    <message>
        <source>SPI</source>
        <translation>SPI</translation>
    </message>
    <message>
        <source>Stored-value balance</source>
        <translation>储值余额</translation>
    </message>
    <message>
        <source>Gift balance</source>
        <translation>赠送余额</translation>
    </message>
    <message>
        <source>Last recharge</source>
        <translation>最近充值</translation>
    </message>
    <message>
        <source>Recharge amount</source>
        <translation>充值金额</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>订单数</translation>
    </message>
    <message>
        <source>Gift amount</source>
        <translation>赠送金额</translation>
    </message>
    <message>
        <source>Last visit</source>
        <translation>最近到店</translation>
    </message>
    <message>
        <source>Days since the visit</source>
        <translation>距到店天数</translation>
    </message>
    <message>
        <source>Visits in the period</source>
        <translation>期间到店次数</translation>
    </message>
    <message>
        <source>PoP against the previous 60 days</source>
        <translation>较前 60 天环比</translation>
    </message>
    <message>
        <source>Visits in 60 days</source>
        <translation>60天到店次数</translation>
    </message>
    <message>
        <source>Visits per week</source>
        <translation>周均到店</translation>
    </message>
    <message>
        <source>Highest RS</source>
        <translation>最高 RS</translation>
    </message>
    <message>
        <source>Intimacy</source>
        <translation>亲密度</translation>
    </message>
    <message>
        <source>Coach</source>
        <translation>助教</translation>
    </message>
    <message>
        <source>Coaches</source>
        <translation>助教数</translation>
    </message>
    <message>
        <source>Data are loaded through %1: no day of the 60-day window is loaded yet, so its figures show no data (—), not zero.</source>
        <translation>数据截至 %1：60 天窗口尚无任何一天的数据，各项显示为无数据（—），而非零。</translation>
    </message>
    <message numerus="yes">
        <source>Data are loaded through %1: the last %n day(s) of the 60-day window have no data yet, so its changes compare the days loaded with as many days of the previous window (%2).</source>
        <translation>
            <numerusform>数据截至 %1：60 天窗口最后 %n 天尚无数据，环比以已加载的天数对比上一窗口相同天数（%2）。</numerusform>
        </translation>
    </message>
    <message>
        <source>Data are loaded through %1: no day of the 60-day window is loaded yet, so the column “%2” shows no data (—), not zero.</source>
        <translation>数据截至 %1：60 天窗口尚无任何一天的数据，“%2”列显示为无数据（—），而非零。</translation>
    </message>
    <message numerus="yes">
        <source>Data are loaded through %1: the last %n day(s) of the 60-day window have no data yet, so the column “%2” covers %3 only.</source>
        <translation>
            <numerusform>数据截至 %1：60 天窗口最后 %n 天尚无数据，“%2”列仅含 %3。</numerusform>
        </translation>
    </message>
    <message>
        <source>Days since last visit, on the scores&apos; day</source>
        <translation>距上次到店天数（截至评分日）</translation>
    </message>
</context>
<context>
    <name>riskdesk::CustomerDrill</name>
    <message>
        <source>The %1 tab has no cells to drill into (its figures are scores or snapshots).</source>
        <translation>%1 标签页没有可下钻的单元格（其数值为分值或快照）。</translation>
    </message>
    <message>
        <source>Cannot drill into &quot;%1&quot; on the %2 tab; use &lt;column&gt;:&lt;member id&gt; or &lt;column&gt;:total with a column of: %3.</source>
        <translation>无法在 %2 标签页下钻“%1”；请使用 &lt;列&gt;:&lt;会员编号&gt; 或 &lt;列&gt;:total，列可选：%3。</translation>
    </message>
    <message>
        <source>The drill-down cell must be &lt;column&gt;:&lt;member id&gt; or &lt;column&gt;:total, not &quot;%1&quot;.</source>
        <translation>下钻单元格须为 &lt;列&gt;:&lt;会员编号&gt; 或 &lt;列&gt;:total，而不是“%1”。</translation>
    </message>
    <message>
        <source>Finding the member</source>
        <translation>查找会员</translation>
    </message>
    <message>
        <source>Member #%1 is not on the %2 tab with these filters.</source>
        <translation>在当前筛选条件下，会员 #%1 不在 %2 标签页中。</translation>
    </message>
    <message>
        <source>Service logs %1</source>
        <translation>服务记录 %1</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Settled at</source>
        <translation>结算时间</translation>
    </message>
    <message>
        <source>Business day</source>
        <translation>营业日</translation>
    </message>
    <message>
        <source>Member</source>
        <translation>会员</translation>
    </message>
    <message>
        <source>Coach</source>
        <translation>助教</translation>
    </message>
    <message>
        <source>Skill</source>
        <translation>技能</translation>
    </message>
    <message>
        <source>Hours</source>
        <translation>工时</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Card accounts (current values)</source>
        <translation>卡账户（当前值）</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>账户</translation>
    </message>
    <message>
        <source>Card type</source>
        <translation>卡类型</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Last recharge</source>
        <translation>最近充值</translation>
    </message>
    <message>
        <source>Gift balance</source>
        <translation>赠送余额</translation>
    </message>
    <message>
        <source>Stored-value balance</source>
        <translation>储值余额</translation>
    </message>
    <message>
        <source>Valid recharge orders %1</source>
        <translation>有效充值订单 %1</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>Paid at</source>
        <translation>支付时间</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Recharge amount</source>
        <translation>充值金额</translation>
    </message>
    <message>
        <source>Gift amount</source>
        <translation>赠送金额</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>订单数</translation>
    </message>
    <message>
        <source>Visits %1</source>
        <translation>到店记录 %1</translation>
    </message>
    <message>
        <source>Arrived</source>
        <translation>到店时间</translation>
    </message>
    <message>
        <source>Left</source>
        <translation>离店时间</translation>
    </message>
    <message>
        <source>Visits</source>
        <translation>到店次数</translation>
    </message>
    <message>
        <source>Listing the rows of %1</source>
        <translation>列出 %1 的明细</translation>
    </message>
    <message>
        <source>The rows of %1 for %2.</source>
        <translation>%2 的 %1 明细。</translation>
    </message>
    <message>
        <source>The rows of %1 for every member of the tab.</source>
        <translation>本标签页全部会员的 %1 明细。</translation>
    </message>
    <message>
        <source>Customer board: drill-down</source>
        <translation>客户看板：下钻明细</translation>
    </message>
</context>
<context>
    <name>riskdesk::CustomerEnrichments</name>
    <message>
        <source>Member #%1</source>
        <translation>会员 #%1</translation>
    </message>
    <message>
        <source>Coach #%1</source>
        <translation>助教 #%1</translation>
    </message>
    <message>
        <source>Reading the members&apos; names</source>
        <translation>读取会员姓名</translation>
    </message>
    <message>
        <source>Reading the members&apos; phones</source>
        <translation>读取会员手机号</translation>
    </message>
    <message>
        <source>Reading the members&apos; last visits</source>
        <translation>读取会员最近到店</translation>
    </message>
    <message>
        <source>Reading the members&apos; balances</source>
        <translation>读取会员余额</translation>
    </message>
    <message>
        <source>Reading the members&apos; related coaches</source>
        <translation>读取会员关联助教</translation>
    </message>
    <message>
        <source>(following up)</source>
        <translation>（跟进中）</translation>
    </message>
</context>
<context>
    <name>riskdesk::CustomerQuery</name>
    <message>
        <source>There is no dimension &quot;%1&quot;; choose one of: %2.</source>
        <translation>没有维度“%1”；可选：%2。</translation>
    </message>
    <message>
        <source>The board needs the site&apos;s business day today.</source>
        <translation>看板需要门店今天的营业日。</translation>
    </message>
    <message>
        <source>The as-of day %1 is after today (%2).</source>
        <translation>截至日 %1 晚于今天（%2）。</translation>
    </message>
    <message>
        <source>The coach must be a coach id (a whole number), not &quot;%1&quot;.</source>
        <translation>助教须为助教编号（整数），而不是“%1”。</translation>
    </message>
    <message>
        <source>The search text is longer than %1 characters.</source>
        <translation>搜索文字超过 %1 个字符。</translation>
    </message>
</context>
<context>
    <name>riskdesk::CustomerRankings</name>
    <message>
        <source>Ranking the customers</source>
        <translation>计算客户排名</translation>
    </message>
    <message>
        <source>Reading the customer rankings</source>
        <translation>读取客户排名</translation>
    </message>
    <message>
        <source>Checking the customer rankings</source>
        <translation>核对客户排名</translation>
    </message>
</context>
<context>
    <name>riskdesk::CustomerVisitHeatmap</name>
    <message>
        <source>Reading the visits by weekday and hour: %1</source>
        <translation>读取按星期和小时统计的到店数据：%1</translation>
    </message>
    <message>
        <source>Visits by weekday and hour</source>
        <translation>到店时段分布（星期 × 小时）</translation>
    </message>
    <message>
        <source>Coach services created %1 ~ %2, voided ones excluded; hours in the site&apos;s time zone.</source>
        <translation>统计 %1 ~ %2 创建的助教服务（不含已作废）；小时按门店时区。</translation>
    </message>
</context>
<context>
    <name>riskdesk::DateField</name>
    <message>
        <source>There is no month %1: months run from 01 to 12.</source>
        <translation>没有 %1 月：月份为 01 至 12。</translation>
    </message>
    <message numerus="yes">
        <source>%1 has no day %2: it has %n day(s).</source>
        <translation>
            <numerusform>%1 没有 %2 日：这个月只有 %n 天。</numerusform>
        </translation>
    </message>
    <message>
        <source>There is no day %1.</source>
        <translation>没有 %1 日。</translation>
    </message>
    <message>
        <source>There is no hour %1: hours run from 00 to 23.</source>
        <translation>没有 %1 时：小时为 00 至 23。</translation>
    </message>
    <message>
        <source>There is no minute %1: minutes run from 00 to 59.</source>
        <translation>没有 %1 分：分钟为 00 至 59。</translation>
    </message>
    <message>
        <source>%1 The field is back to %2.</source>
        <translation>%1输入框已恢复为 %2。</translation>
    </message>
</context>
<context>
    <name>riskdesk::DeferredIndexBuild</name>
    <message>
        <source>Reading the workspace&apos;s index plan</source>
        <translation>读取工作区的索引计划</translation>
    </message>
    <message>
        <source>Keeping the workspace&apos;s index plan</source>
        <translation>保存工作区的索引计划</translation>
    </message>
    <message>
        <source>An earlier index build has not finished yet.</source>
        <translation>先前的索引构建尚未完成。</translation>
    </message>
    <message>
        <source>Building the workspace&apos;s indexes</source>
        <translation>构建工作区索引</translation>
    </message>
    <message>
        <source>Building the search index</source>
        <translation>构建搜索索引</translation>
    </message>
</context>
<context>
    <name>riskdesk::DemoBoardBuilder</name>
    <message>
        <source>Reading the board sites</source>
        <translation>读取看板门店</translation>
    </message>
    <message>
        <source>Tenant &quot;%1&quot; already has board data; the demo business is written only once.</source>
        <translation>租户“%1”已有看板数据；演示业务只写入一次。</translation>
    </message>
    <message>
        <source>Reading the board indexes</source>
        <translation>读取看板索引</translation>
    </message>
    <message>
        <source>Preparing the board tables</source>
        <translation>准备看板数据表</translation>
    </message>
    <message>
        <source>Building the board indexes</source>
        <translation>建立看板索引</translation>
    </message>
</context>
<context>
    <name>riskdesk::DemoBoardGenerator</name>
    <message>
        <source>The demo&apos;s tenders of %1 exceed its revenue.</source>
        <translation>演示数据中 %1 的支付方式合计超过了当日收入。</translation>
    </message>
    <message>
        <source>The board scale must be a whole number from 1 to %1, not %2.</source>
        <translation>看板规模必须是 1 到 %1 之间的整数，而不是 %2。</translation>
    </message>
</context>
<context>
    <name>riskdesk::DemoWorkspaceBuilder</name>
    <message>
        <source>%1 already holds data; the demo is written only into a new, empty workspace.</source>
        <translation>%1 中已有数据；演示数据只会写入新的空工作区。</translation>
    </message>
    <message>
        <source>The number of exceptions must be 0 or more.</source>
        <translation>特例数量必须不小于 0。</translation>
    </message>
    <message>
        <source>The demo rules are missing from this build.</source>
        <translation>此版本缺少演示规则。</translation>
    </message>
    <message>
        <source>Writing demo exception %1</source>
        <translation>写入演示特例 %1</translation>
    </message>
    <message>
        <source>Writing the demo approval log</source>
        <translation>写入演示审批日志</translation>
    </message>
    <message>
        <source>%1 is in use by another program; close it and try again.</source>
        <translation>%1 正被其他程序使用；请关闭后重试。</translation>
    </message>
    <message>
        <source>Cannot create the folder %1.</source>
        <translation>无法创建文件夹 %1。</translation>
    </message>
    <message>
        <source>Saving the demo workspace</source>
        <translation>保存演示工作区</translation>
    </message>
    <message>
        <source>Cannot put the demo workspace in place at %1: %2</source>
        <translation>无法将演示工作区放到 %1：%2</translation>
    </message>
    <message>
        <source>Naming the demo&apos;s leads</source>
        <translation>设定演示数据的主管</translation>
    </message>
</context>
<context>
    <name>riskdesk::DirectoryRepository</name>
    <message>
        <source>Adding tenant %1</source>
        <translation>添加租户 %1</translation>
    </message>
    <message>
        <source>Adding user %1</source>
        <translation>添加用户 %1</translation>
    </message>
    <message>
        <source>Adding rule %1</source>
        <translation>添加规则 %1</translation>
    </message>
    <message>
        <source>Reading tenants</source>
        <translation>读取租户</translation>
    </message>
    <message>
        <source>Reading users</source>
        <translation>读取用户</translation>
    </message>
    <message>
        <source>%1 is not a member of tenant %2.</source>
        <translation>%1 不是租户 %2 的成员。</translation>
    </message>
    <message>
        <source>Reading rules</source>
        <translation>读取规则</translation>
    </message>
    <message>
        <source>Reading rule %1</source>
        <translation>读取规则 %1</translation>
    </message>
    <message>
        <source>Rule %1 is not in tenant %2.</source>
        <translation>租户 %2 中没有规则 %1。</translation>
    </message>
</context>
<context>
    <name>riskdesk::Domain</name>
    <message>
        <source>Pending</source>
        <translation>待审批</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>已通过</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>已驳回</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>已过期</translation>
    </message>
    <message>
        <source>Withdrawn</source>
        <translation>已撤回</translation>
    </message>
    <message>
        <source>Claim</source>
        <translation>报销单</translation>
    </message>
    <message>
        <source>Claim item</source>
        <translation>报销明细</translation>
    </message>
    <message>
        <source>Transaction</source>
        <translation>交易</translation>
    </message>
    <message>
        <source>Merchant</source>
        <translation>商户</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Low risk</source>
        <translation>低风险</translation>
    </message>
    <message>
        <source>Medium risk</source>
        <translation>中风险</translation>
    </message>
    <message>
        <source>High risk</source>
        <translation>高风险</translation>
    </message>
    <message>
        <source>Critical risk</source>
        <translation>极高风险</translation>
    </message>
    <message>
        <source>Applicant</source>
        <translation>申请人</translation>
    </message>
    <message>
        <source>Approver</source>
        <translation>审批人</translation>
    </message>
    <message>
        <source>Auditor</source>
        <translation>审计员</translation>
    </message>
    <message>
        <source>Finance</source>
        <translation>财务</translation>
    </message>
</context>
<context>
    <name>riskdesk::EmptyResultsOverlay</name>
    <message>
        <source>&amp;Clear filters</source>
        <translation>清除筛选条件(&amp;C)</translation>
    </message>
</context>
<context>
    <name>riskdesk::EnrichmentRunner</name>
    <message>
        <source>injected fault in %1</source>
        <translation>%1 中的注入故障</translation>
    </message>
    <message>
        <source>unexpected failure</source>
        <translation>意外故障</translation>
    </message>
    <message>
        <source>no answer within %1 s</source>
        <translation>%1 秒内未返回结果</translation>
    </message>
</context>
<context>
    <name>riskdesk::ExceptionBulkLoad</name>
    <message>
        <source>Reading the workspace&apos;s indexes</source>
        <translation>读取工作区索引</translation>
    </message>
    <message>
        <source>Preparing the bulk insert</source>
        <translation>准备批量写入</translation>
    </message>
    <message>
        <source>Building the search index</source>
        <translation>建立搜索索引</translation>
    </message>
    <message>
        <source>Rebuilding the workspace&apos;s indexes</source>
        <translation>重建工作区索引</translation>
    </message>
    <message>
        <source>Reading the approval log</source>
        <translation>读取审批日志</translation>
    </message>
</context>
<context>
    <name>riskdesk::ExceptionDecision</name>
    <message>
        <source>%1 is already %2; only pending exceptions can be decided.</source>
        <translation>%1 的状态为“%2”；只有待审批的特例才能审批。</translation>
    </message>
    <message>
        <source>The validity window of %1 ended on %2 before a decision was made; it is rejected automatically.</source>
        <translation>%1 的有效期已于 %2 结束，期间未作出决定，系统已自动驳回。</translation>
    </message>
    <message>
        <source>Only the applicant (%1) can withdraw %2.</source>
        <translation>只有申请人（%1）可以撤回 %2。</translation>
    </message>
    <message>
        <source>You applied for %1 yourself; another approver must decide it.</source>
        <translation>%1 是您本人提交的申请，须由其他审批人审批。</translation>
    </message>
    <message>
        <source>You already acted on %1; a second step needs a different approver.</source>
        <translation>您已处理过 %1；第二步须由另一位审批人完成。</translation>
    </message>
    <message>
        <source>A rejection needs a reason. Say why %1 is rejected.</source>
        <translation>驳回必须填写原因。请说明驳回 %1 的理由。</translation>
    </message>
    <message>
        <source>The comment on %1 contains a NUL character (U+0000), which cannot be stored; remove it and decide again.</source>
        <translation>%1 的意见中含有 NUL 字符（U+0000），无法保存；请删除该字符后重新决定。</translation>
    </message>
    <message>
        <source>The comment on %1 has %2 characters; at most %3 are allowed. Shorten it and decide again.</source>
        <translation>%1 的备注有 %2 个字符，最多允许 %3 个。请缩短后重新决定。</translation>
    </message>
    <message>
        <source>The comment on %1 contains a control character (%2); remove it and decide again.</source>
        <translation>%1 的意见包含控制字符（%2）；请删除后重新决定。</translation>
    </message>
    <message>
        <source>%1 is assigned to %2, so only they decide it; claim it first if you are taking it over.</source>
        <translation>%1 已指派给 %2，只有对方能决定；如要接手，请先认领。</translation>
    </message>
    <message>
        <source>%1 is routed to %2 for its second step; only they can decide it now.</source>
        <translation>%1 的第二步已转给 %2，现在只有其本人可以决定。</translation>
    </message>
    <message>
        <source>%1 is routed to %2; only they can decide it now.</source>
        <translation>%1 已转给 %2，现在只有其本人可以决定。</translation>
    </message>
    <message>
        <source>%1 takes part here as %2; only approvers can approve or reject.</source>
        <translation>%1 在此的身份是%2；只有审批人可以通过或驳回。</translation>
    </message>
</context>
<context>
    <name>riskdesk::ExceptionDetailPanel</name>
    <message>
        <source>Approved (step %1)</source>
        <translation>已通过（第 %1 步）</translation>
    </message>
    <message>
        <source>%1 · %2 by %3</source>
        <translation>%1 · %3 %2</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Applicant</source>
        <translation>申请人</translation>
    </message>
    <message>
        <source>Applied</source>
        <translation>申请时间</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>Valid</source>
        <translation>有效期</translation>
    </message>
    <message>
        <source>Reason category</source>
        <translation>原因类别</translation>
    </message>
    <message>
        <source>Justification</source>
        <translation>申请理由</translation>
    </message>
    <message>
        <source>Attachment</source>
        <translation>附件</translation>
    </message>
    <message>
        <source>Rejection reason</source>
        <translation>驳回原因</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Approval chain</source>
        <translation>审批链</translation>
    </message>
    <message>
        <source>&amp;Approve</source>
        <translation>通过(&amp;A)</translation>
    </message>
    <message>
        <source>Approve the exception (A, or Ctrl+Return)</source>
        <translation>通过此特例（A 或 Ctrl+Return）</translation>
    </message>
    <message>
        <source>&amp;Reject…</source>
        <translation>驳回(&amp;R)…</translation>
    </message>
    <message>
        <source>Reject with a reason (R, or Ctrl+Shift+Return)</source>
        <translation>填写原因并驳回（R 或 Ctrl+Shift+Return）</translation>
    </message>
    <message>
        <source>&amp;Withdraw</source>
        <translation>撤回(&amp;W)</translation>
    </message>
    <message>
        <source>Withdraw your own request</source>
        <translation>撤回您本人的申请</translation>
    </message>
    <message>
        <source>No exception selected</source>
        <translation>未选择特例</translation>
    </message>
    <message>
        <source>Select a row in the queue to see the request and decide it.</source>
        <translation>在队列中选择一行，即可查看申请并审批。</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>%1 — step %2 of 2</source>
        <translation>%1 —— 第 %2 步，共 2 步</translation>
    </message>
    <message>
        <source> (automatically)</source>
        <translation>（自动）</translation>
    </message>
    <message>
        <source>%1 (%2 ago)</source>
        <translation>%1（%2前）</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message numerus="yes">
        <source>%1 — %2; needs %n approval(s)</source>
        <translation>
            <numerusform>%1 —— %2；需 %n 级审批</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 (not in this workspace)</source>
        <translation>%1（不在此工作区中）</translation>
    </message>
    <message>
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>any approver</source>
        <translation>任一审批人</translation>
    </message>
    <message>
        <source>%1 · Requested by %2</source>
        <translation>%1 · %2 提交申请</translation>
    </message>
    <message>
        <source>Current risk</source>
        <translation>当前风险</translation>
    </message>
    <message>
        <source>%1 · %2 · %3</source>
        <translation>%1 · %2 · %3</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>Latest assessment %1, %2</source>
        <translation>最近一次评估 %1，%2</translation>
    </message>
    <message>
        <source>No assessment of %1 in this workspace</source>
        <translation>此工作区中没有 %1 的评估记录</translation>
    </message>
    <message>
        <source>If approved</source>
        <translation>若批准</translation>
    </message>
    <message>
        <source>Replaying the target&apos;s history…</source>
        <translation>正在回放目标的历史记录…</translation>
    </message>
    <message>
        <source>Latest assessed transaction, %1</source>
        <translation>最近一笔已评估交易，%1</translation>
    </message>
    <message>
        <source>No recorded history for %1 in this workspace, so nothing to replay</source>
        <translation>此工作区中没有 %1 的历史记录，无可回放</translation>
    </message>
    <message numerus="yes">
        <source>%n event(s) on record, %1 in the validity window</source>
        <translation>
            <numerusform>共 %n 条记录，其中 %1 条在有效期内</numerusform>
        </translation>
    </message>
    <message>
        <source>The rule holds none of them back in the window: approving changes nothing recorded so far</source>
        <translation>有效期内规则未拦截任何记录：批准不会改变已有记录的结果</translation>
    </message>
    <message numerus="yes">
        <source>Waives %n of the rule&apos;s hits, %1 in all (largest %2)</source>
        <translation>
            <numerusform>豁免规则命中 %n 次，合计 %1（最大一笔 %2）</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Lets %n case(s) through that wait for a supplement</source>
        <translation>
            <numerusform>放行 %n 件待补充材料的案件</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n decision(s) change</source>
        <translation>
            <numerusform>%n 项决定将改变</numerusform>
        </translation>
    </message>
    <message>
        <source>  %1 · %2 · %3 → %4</source>
        <translation>  %1 · %2 · %3 → %4</translation>
    </message>
    <message numerus="yes">
        <source>  … and %n more</source>
        <translation>
            <numerusform>  …… 另有 %n 项</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hit(s) outside the window stay held</source>
        <translation>
            <numerusform>有效期外的 %n 次命中仍被拦截</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n event(s) could not be read: %1</source>
        <translation>
            <numerusform>%n 条记录无法读取：%1</numerusform>
        </translation>
    </message>
    <message>
        <source>Changed: %1</source>
        <translation>改变的记录：%1</translation>
    </message>
    <message>
        <source>&lt;b&gt;Rule flow&lt;/b&gt; · click the diagram to enlarge it</source>
        <translation>&lt;b&gt;规则流程&lt;/b&gt; · 点击流程图可放大查看</translation>
    </message>
    <message>
        <source>Rule flow: %1</source>
        <translation>规则流程：%1</translation>
    </message>
    <message>
        <source>&lt;b&gt;Rule flow&lt;/b&gt; · the path of the target&apos;s latest case, %1: %2 · click the diagram to enlarge it</source>
        <translation>&lt;b&gt;规则流程&lt;/b&gt; · 目标最近一笔记录 %1 的判断路径：%2 · 点击流程图可放大查看</translation>
    </message>
    <message>
        <source>This workspace is read-only: no decisions can be made here.</source>
        <translation>此工作区为只读：不能在此做出审批决定。</translation>
    </message>
    <message>
        <source>Assignment</source>
        <translation>指派</translation>
    </message>
    <message>
        <source>nobody</source>
        <translation>无人</translation>
    </message>
    <message>
        <source>%1, escalated</source>
        <translation>%1（已升级）</translation>
    </message>
    <message>
        <source>%1: %2 %3 it (%4 → %5)</source>
        <translation>%1：%2 %3（%4 → %5）</translation>
    </message>
    <message>
        <source>(not synced yet)</source>
        <translation>（尚未同步）</translation>
    </message>
    <message>
        <source>(refused by the server: %1)</source>
        <translation>（服务器拒绝：%1）</translation>
    </message>
    <message>
        <source>Decides next</source>
        <translation>下一步审批人</translation>
    </message>
    <message>
        <source>Only approvers comment on exceptions.</source>
        <translation>只有审批人可以评论特例。</translation>
    </message>
    <message>
        <source>Files of the request</source>
        <translation>申请的文件</translation>
    </message>
    <message>
        <source>Choose a file to show it below (arrow keys move between them)</source>
        <translation>选择一个文件在下方显示（方向键可在文件之间切换）</translation>
    </message>
    <message>
        <source>%1 — %2, %3</source>
        <translation>%1 — %2，%3</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s)</source>
        <translation>
            <numerusform>%n 个文件</numerusform>
        </translation>
    </message>
    <message>
        <source>filed with the request</source>
        <translation>随申请提交</translation>
    </message>
    <message>
        <source>%1 has only just come up: the key was not taken, so that a key pressed twice never decides a request nobody has seen. Press it again once you have read it.</source>
        <translation>%1 刚刚显示：这次按键未被执行，以免连按两次时决定了一个还没人看过的申请。看完后请再按一次。</translation>
    </message>
    <message>
        <source>What it waives</source>
        <translation>豁免的效果</translation>
    </message>
    <message>
        <source>The rule holds none of them back in the window: the waiver has changed nothing recorded so far</source>
        <translation>该规则在有效期内没有拦下其中任何一笔：这项豁免至今没有改变任何已记录的结果</translation>
    </message>
    <message>
        <source>nobody holds it; its next step is routed to %1</source>
        <translation>无人认领；下一步已转给 %1</translation>
    </message>
    <message>
        <source>%1, who no longer decides it: its next step is routed to %2</source>
        <translation>%1（已不再由其决定：下一步已转给 %2）</translation>
    </message>
    <message>
        <source>The validity window ended on %1 without a decision: it can no longer be approved or rejected, and is rejected automatically when the queue next closes ended windows.</source>
        <translation>有效期已于 %1 结束，期间未作出决定：已不能再批准或驳回；审批队列下次关闭已结束的有效期时，系统将自动驳回它。</translation>
    </message>
</context>
<context>
    <name>riskdesk::ExceptionQueueModel</name>
    <message>
        <source>%1 · step %2/2</source>
        <translation>%1 · 第 %2/2 步</translation>
    </message>
    <message>
        <source>Valid until %1</source>
        <translation>有效期至 %1</translation>
    </message>
    <message>
        <source>Exception</source>
        <translation>特例</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Applicant</source>
        <translation>申请人</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>已等待</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>到期</translation>
    </message>
    <message>
        <source>%1 (escalated)</source>
        <translation>%1（已升级）</translation>
    </message>
    <message>
        <source>Applied %1; the SLA for %2 severity is %3, and this exception is past it.</source>
        <translation>申请于 %1；%2的 SLA 为 %3，此特例已超时。</translation>
    </message>
    <message>
        <source>Unassigned</source>
        <translation>未指派</translation>
    </message>
    <message>
        <source>Next step&apos;s approver: %1</source>
        <translation>下一步审批人：%1</translation>
    </message>
    <message>
        <source>Escalated to %1</source>
        <translation>已升级给 %1</translation>
    </message>
    <message>
        <source>Assigned to %1</source>
        <translation>已指派给 %1</translation>
    </message>
    <message>
        <source>⏰ %1</source>
        <translation>⏰ %1</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>Decides next</source>
        <translation>下一步审批人</translation>
    </message>
    <message>
        <source>Next step&apos;s approver: %1 (the assignment to %2 no longer decides it)</source>
        <translation>下一步审批人：%1（对 %2 的指派不再决定由谁审批）</translation>
    </message>
    <message>
        <source>Decided: nobody decides it next</source>
        <translation>已决定：没有下一位审批人</translation>
    </message>
</context>
<context>
    <name>riskdesk::ExceptionRepository</name>
    <message>
        <source>Reading exception %1</source>
        <translation>读取特例 %1</translation>
    </message>
    <message>
        <source>There is no exception %1 in tenant %2.</source>
        <translation>租户 %2 中没有特例 %1。</translation>
    </message>
    <message>
        <source>Saving exception %1</source>
        <translation>保存特例 %1</translation>
    </message>
    <message>
        <source>%1 was changed by someone else while you looked at it; reload and decide again.</source>
        <translation>您查看期间 %1 已被他人修改；请刷新后重新审批。</translation>
    </message>
    <message>
        <source>Preparing the queue query</source>
        <translation>准备队列查询</translation>
    </message>
    <message>
        <source>Reading the queue</source>
        <translation>读取队列</translation>
    </message>
    <message>
        <source>Counting exceptions</source>
        <translation>统计特例</translation>
    </message>
    <message>
        <source>Looking for ended validity windows</source>
        <translation>查找已到期的有效期</translation>
    </message>
    <message>
        <source>Listing exceptions</source>
        <translation>列出特例</translation>
    </message>
    <message>
        <source>Reading the reason categories in use</source>
        <translation>读取在用的原因类别</translation>
    </message>
    <message>
        <source>Reading the exceptions shown</source>
        <translation>读取列表中的特例</translation>
    </message>
    <message>
        <source>Looking for the next validity window to end</source>
        <translation>查找下一个将结束的有效期</translation>
    </message>
</context>
<context>
    <name>riskdesk::ExceptionRequest</name>
    <message>
        <source>%1 is not a field of a request; a request has %2.</source>
        <translation>%1 不是申请的字段；申请的字段为 %2。</translation>
    </message>
    <message>
        <source>%1 must be a string.</source>
        <translation>%1 必须是字符串。</translation>
    </message>
    <message>
        <source>%1 is not an ISO-8601 time with an offset (2026-03-04T09:00:00Z): &quot;%2&quot;.</source>
        <translation>%1 不是带时区偏移的 ISO-8601 时间（如 2026-03-04T09:00:00Z）：“%2”。</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
</context>
<context>
    <name>riskdesk::ExceptionValidator</name>
    <message>
        <source>%1 must not be blank.</source>
        <translation>%1 不能为空。</translation>
    </message>
    <message>
        <source>record_id &quot;%1&quot; is malformed: expected exc- followed by 12 lower-case hex digits.</source>
        <translation>record_id“%1”格式不正确：应为 exc- 加 12 位小写十六进制数字。</translation>
    </message>
    <message>
        <source>apply_time is missing.</source>
        <translation>缺少 apply_time。</translation>
    </message>
    <message>
        <source>valid_start_time is missing.</source>
        <translation>缺少 valid_start_time。</translation>
    </message>
    <message>
        <source>valid_end_time is missing.</source>
        <translation>缺少 valid_end_time。</translation>
    </message>
    <message>
        <source>valid_end_time (%1) must be after valid_start_time (%2).</source>
        <translation>valid_end_time（%1）必须晚于 valid_start_time（%2）。</translation>
    </message>
    <message>
        <source>attachment_url &quot;%1&quot; is not an http(s) address.</source>
        <translation>attachment_url“%1”不是 http(s) 地址。</translation>
    </message>
    <message>
        <source>A rejected exception must carry a rejection_reason.</source>
        <translation>已驳回的特例必须带有 rejection_reason。</translation>
    </message>
    <message>
        <source>auto_rejected is set but the status is not rejected.</source>
        <translation>auto_rejected 已设置，但状态不是已驳回。</translation>
    </message>
    <message>
        <source>version must be 1 or more.</source>
        <translation>version 必须不小于 1。</translation>
    </message>
    <message>
        <source>%1 has %2 characters; at most %3 are allowed.</source>
        <translation>%1 有 %2 个字符，最多允许 %3 个。</translation>
    </message>
    <message>
        <source>%1 contains a NUL character (U+0000), which cannot be stored.</source>
        <translation>%1 中含有 NUL 字符（U+0000），无法保存。</translation>
    </message>
    <message>
        <source>target_id must have 1 to 128 characters, none of them spaces, control characters or invisible marks.</source>
        <translation>target_id 须为 1 至 128 个字符，且不能包含空白、控制字符或不可见标记。</translation>
    </message>
    <message>
        <source>reason_category must not hold a control, tab or invisible character.</source>
        <translation>reason_category 不得包含控制字符、制表符或不可见字符。</translation>
    </message>
    <message>
        <source>%1 (%2) must be from %3 to %4.</source>
        <translation>%1（%2）必须介于 %3 与 %4 之间。</translation>
    </message>
    <message>
        <source>valid_end_time: the validity window from %1 to %2 is longer than %3 days.</source>
        <translation>valid_end_time：从 %1 到 %2 的有效期超过 %3 天。</translation>
    </message>
    <message>
        <source>target_type &quot;%1&quot; is not one of %2.</source>
        <translation>target_type “%1”不在 %2 之中。</translation>
    </message>
    <message>
        <source>risk_rule_id &quot;%1&quot; is not a rule of tenant %2.</source>
        <translation>risk_rule_id “%1”不是租户 %2 的规则。</translation>
    </message>
    <message>
        <source>Rule %1 (%2) is not active: it takes no new requests.</source>
        <translation>规则 %1（%2）未启用：不接受新的申请。</translation>
    </message>
    <message numerus="yes">
        <source>Rule %1 allows a validity window of at most %n day(s); this one ends %2.</source>
        <translation>
            <numerusform>规则 %1 的有效期最长 %n 天；此申请到 %2 才结束。</numerusform>
        </translation>
    </message>
    <message>
        <source>valid_end_time (%1) has passed: a request&apos;s window must still be open when it is filed.</source>
        <translation>valid_end_time（%1）已经过去：提交申请时有效期必须尚未结束。</translation>
    </message>
    <message>
        <source>justification contains a control character (%1); remove it.</source>
        <translation>申请理由包含控制字符（%1）；请删除它。</translation>
    </message>
    <message>
        <source>target_type &quot;%1&quot; does not match rule %2 (%3), which is for %4 targets. Choose a rule for this kind of target, or the kind of target the rule is for.</source>
        <translation>target_type “%1”与规则 %2（%3）不符，该规则适用于%4类目标。请选择适用于此类目标的规则，或改为该规则适用的目标类型。</translation>
    </message>
</context>
<context>
    <name>riskdesk::FinanceBoard</name>
    <message>
        <source>Accrued revenue</source>
        <translation>应计收入</translation>
    </message>
    <message>
        <source>Discounts</source>
        <translation>优惠金额</translation>
    </message>
    <message>
        <source>Coach service income</source>
        <translation>助教服务流水</translation>
    </message>
    <message>
        <source>Cash inflow</source>
        <translation>现金流入</translation>
    </message>
    <message>
        <source>Cash outflow</source>
        <translation>现金流出</translation>
    </message>
    <message>
        <source>Net cash flow</source>
        <translation>净现金流</translation>
    </message>
    <message>
        <source>Stored-value recharge</source>
        <translation>储值充值</translation>
    </message>
    <message>
        <source>Stored-value balance</source>
        <translation>储值余额</translation>
    </message>
    <message>
        <source>The trend&apos;s granularity must be day, week or month, not &quot;%1&quot;.</source>
        <translation>趋势粒度必须是 day、week 或 month，而不是“%1”。</translation>
    </message>
    <message>
        <source>Finance board</source>
        <translation>财务看板</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>经营一览</translation>
    </message>
    <message>
        <source>Metric</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>This period</source>
        <translation>本期</translation>
    </message>
    <message>
        <source>Previous period</source>
        <translation>上期</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>环比</translation>
    </message>
    <message>
        <source>Prepaid funds roll-forward</source>
        <translation>预收资产滚动核对</translation>
    </message>
    <message>
        <source>Discount breakdown against K2</source>
        <translation>优惠明细与 K2 核对</translation>
    </message>
    <message>
        <source>Coach service accrued revenue against K3</source>
        <translation>助教服务应计收入与 K3 核对</translation>
    </message>
    <message>
        <source>Consumption tenders against K1</source>
        <translation>消费支付方式合计与 K1 核对</translation>
    </message>
    <message>
        <source>Platform gross settled less fee against net received</source>
        <translation>平台结算总额减手续费与实收净额核对</translation>
    </message>
    <message>
        <source>Platform: gross settled %1 (cash inflow) − fee %2 (cash outflow) = net received %3</source>
        <translation>平台：结算总额 %1（现金流入）− 手续费 %2（现金流出）= 实收净额 %3</translation>
    </message>
    <message>
        <source>Coach pay is recorded as the expense summary records it (cash or accrual: to be confirmed by the data owner).</source>
        <translation>助教薪酬按费用汇总的记录口径计入（收付实现制或权责发生制，待数据负责人确认）。</translation>
    </message>
    <message>
        <source>The finance board prints its sections whole: there is no page %1.</source>
        <translation>财务看板完整输出各板块，没有第 %1 页。</translation>
    </message>
    <message>
        <source>The coach service income is too large to add up.</source>
        <translation>助教服务收入过大，无法精确合计。</translation>
    </message>
    <message>
        <source>The finance board has fixed sections: --dimension, --skill, --search and --sort do not apply to it (a drill-down sorts by any of its columns).</source>
        <translation>财务看板的板块是固定的：--dimension、--skill、--search 和 --sort 不适用（下钻明细可按任意列排序）。</translation>
    </message>
    <message>
        <source>Closing balances and active cards are those of %1, the last day loaded.</source>
        <translation>期末余额与有效卡数取 %1（已加载的最后一天）的数据。</translation>
    </message>
</context>
<context>
    <name>riskdesk::FinanceCashInflow</name>
    <message>
        <source>Reading the cash inflow</source>
        <translation>读取现金流入</translation>
    </message>
    <message>
        <source>Cash inflow</source>
        <translation>现金流入</translation>
    </message>
    <message>
        <source>Bucket</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Share</source>
        <translation>占比</translation>
    </message>
    <message>
        <source>Previous period</source>
        <translation>上期</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>环比</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Tenders not counted as cash inflow (rule 7)</source>
        <translation>不计入现金流入的支付方式（互斥规则 7）</translation>
    </message>
    <message>
        <source>Tender</source>
        <translation>支付方式</translation>
    </message>
    <message>
        <source>Why it is excluded</source>
        <translation>排除原因</translation>
    </message>
</context>
<context>
    <name>riskdesk::FinanceCashOutflow</name>
    <message>
        <source>Reading the cash outflow</source>
        <translation>读取现金流出</translation>
    </message>
    <message>
        <source>Reading the platform settlements</source>
        <translation>读取平台结算</translation>
    </message>
    <message>
        <source>Cash outflow</source>
        <translation>现金流出</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>分组</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Share of outflow</source>
        <translation>占流出比例</translation>
    </message>
    <message>
        <source>Previous period</source>
        <translation>上期</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>环比</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
</context>
<context>
    <name>riskdesk::FinanceCoachAnalysis</name>
    <message>
        <source>Reading the coaches&apos; monthly pay by tier</source>
        <translation>按档位读取助教月度薪酬</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>档位</translation>
    </message>
    <message>
        <source>Basic course income</source>
        <translation>基础课收入</translation>
    </message>
    <message>
        <source>Incentive course income</source>
        <translation>激励课收入</translation>
    </message>
    <message>
        <source>Incentive share</source>
        <translation>激励占比</translation>
    </message>
    <message>
        <source>Sprint bonus</source>
        <translation>冲刺奖金</translation>
    </message>
    <message>
        <source>Gross pay</source>
        <translation>总收入</translation>
    </message>
    <message>
        <source>Basic hours</source>
        <translation>基础课时</translation>
    </message>
    <message>
        <source>Effective hours</source>
        <translation>有效工时</translation>
    </message>
    <message>
        <source>Coaches</source>
        <translation>助教人数</translation>
    </message>
    <message>
        <source>Gross pay per coach</source>
        <translation>人均总收入</translation>
    </message>
    <message>
        <source>Coach service income (K3)</source>
        <translation>助教服务流水（K3）</translation>
    </message>
    <message>
        <source>Course-cost ratio</source>
        <translation>课时费用率</translation>
    </message>
    <message>
        <source>Coach analysis</source>
        <translation>助教分析</translation>
    </message>
    <message>
        <source>Coach analysis by tier</source>
        <translation>助教分析（按档位）</translation>
    </message>
    <message>
        <source>no salary rows for this month yet</source>
        <translation>本月尚无工资数据</translation>
    </message>
    <message>
        <source>Calendar-month basis: the coach analysis counts the whole of %1, not only this period&apos;s days.</source>
        <translation>按自然月口径：助教分析按 %1 整月统计，而不只是本期间内的天数。</translation>
    </message>
</context>
<context>
    <name>riskdesk::FinanceDrill</name>
    <message>
        <source>Business day</source>
        <translation>营业日</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Gross</source>
        <translation>原价</translation>
    </message>
    <message>
        <source>Discount</source>
        <translation>优惠</translation>
    </message>
    <message>
        <source>Accrued</source>
        <translation>应计收入</translation>
    </message>
    <message>
        <source>Discount type</source>
        <translation>优惠类型</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>分组</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Card</source>
        <translation>卡类型</translation>
    </message>
    <message>
        <source>Active cards</source>
        <translation>有效卡数</translation>
    </message>
    <message>
        <source>Service log</source>
        <translation>服务记录</translation>
    </message>
    <message>
        <source>Coach</source>
        <translation>助教</translation>
    </message>
    <message>
        <source>Service income</source>
        <translation>服务流水</translation>
    </message>
    <message>
        <source>Cash inflow</source>
        <translation>现金流入</translation>
    </message>
    <message>
        <source>Cash outflow</source>
        <translation>现金流出</translation>
    </message>
    <message>
        <source>Net cash flow</source>
        <translation>净现金流</translation>
    </message>
    <message>
        <source>Salary month</source>
        <translation>工资月份</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>档位</translation>
    </message>
    <message>
        <source>Coaches</source>
        <translation>助教人数</translation>
    </message>
    <message>
        <source>There is no KPI &quot;%1&quot; (K1 to K8).</source>
        <translation>没有指标“%1”（可选 K1 至 K8）。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is computed from other cells; drill those instead.</source>
        <translation>“%1”由其他单元格计算得出，请下钻那些单元格。</translation>
    </message>
    <message>
        <source>There is no cell &quot;%1:%2:%3&quot;.</source>
        <translation>没有单元格“%1:%2:%3”。</translation>
    </message>
    <message>
        <source>There is no inflow bucket &quot;%1&quot;.</source>
        <translation>没有现金流入类别“%1”。</translation>
    </message>
    <message>
        <source>There is no excluded tender &quot;%1&quot;.</source>
        <translation>没有被排除的支付方式“%1”。</translation>
    </message>
    <message>
        <source>There is no card type &quot;%1&quot;.</source>
        <translation>没有卡类型“%1”。</translation>
    </message>
    <message>
        <source>No bucket of the trend starts on &quot;%1&quot;.</source>
        <translation>趋势中没有从“%1”开始的区间。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a row of %2.</source>
        <translation>“%1”不是 %2 中的行。</translation>
    </message>
    <message>
        <source>Drill a cell as kpi:K1 … kpi:K8, or SECTION:COLUMN:ROW with the row&apos;s id or &quot;total&quot; (e.g. revenue:accrued:table, outflow:amount:personnel/staff, prepaid:closing:stored_value, trend:k4:2026-05-11, coach:basic:2026-05-01).</source>
        <translation>下钻单元格的写法：kpi:K1 … kpi:K8，或 板块:列:行（行为其 id 或 &quot;total&quot;，例如 revenue:accrued:table、outflow:amount:personnel/staff、prepaid:closing:stored_value、trend:k4:2026-05-11、coach:basic:2026-05-01）。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a cell.</source>
        <translation>“%1”不是单元格。</translation>
    </message>
    <message>
        <source>Reading the rows of %1</source>
        <translation>读取 %1 的明细行</translation>
    </message>
    <message>
        <source>Finance board: rows of %1</source>
        <translation>财务看板：%1 的明细</translation>
    </message>
    <message>
        <source>Rows of %1 (%2)</source>
        <translation>%1 的明细（%2）</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>too large to add up exactly</source>
        <translation>数值过大，无法精确求和</translation>
    </message>
    <message>
        <source>Cannot sort this drill-down by &quot;%1&quot;; choose one of: %2.</source>
        <translation>下钻明细不能按“%1”排序；请选择：%2。</translation>
    </message>
    <message>
        <source>The sort direction &quot;%1&quot; is not asc or desc.</source>
        <translation>排序方向“%1”无效，应为 asc 或 desc。</translation>
    </message>
    <message>
        <source>Cannot sort this drill-down by &quot;%1&quot;.</source>
        <translation>下钻明细不能按“%1”排序。</translation>
    </message>
    <message>
        <source>Voided</source>
        <translation>废单</translation>
    </message>
    <message>
        <source>Voided rows are listed greyed out; they are never counted in the sums.</source>
        <translation>废单以灰色列出，从不计入合计。</translation>
    </message>
    <message>
        <source>voided</source>
        <translation>废单</translation>
    </message>
    <message>
        <source>Reading the rows %1 can drill</source>
        <translation>读取 %1 可下钻的行</translation>
    </message>
    <message>
        <source>%1 has no row &quot;%2&quot;; the rows it can drill are %3 and total.</source>
        <translation>%1 没有行“%2”；可下钻的行有：%3 和 total。</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
</context>
<context>
    <name>riskdesk::FinanceLabels</name>
    <message>
        <source>Table fees</source>
        <translation>台费</translation>
    </message>
    <message>
        <source>Coach service</source>
        <translation>助教服务</translation>
    </message>
    <message>
        <source>Goods &amp; drinks</source>
        <translation>商品酒水</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>Member discount</source>
        <translation>会员折扣</translation>
    </message>
    <message>
        <source>Group-buy voucher</source>
        <translation>团购券</translation>
    </message>
    <message>
        <source>Comps</source>
        <translation>赠送</translation>
    </message>
    <message>
        <source>Rounding-off</source>
        <translation>抹零</translation>
    </message>
    <message>
        <source>WeChat Pay</source>
        <translation>微信</translation>
    </message>
    <message>
        <source>Alipay</source>
        <translation>支付宝</translation>
    </message>
    <message>
        <source>Cash</source>
        <translation>现金</translation>
    </message>
    <message>
        <source>Bank card</source>
        <translation>银行卡</translation>
    </message>
    <message>
        <source>Stored-value recharge</source>
        <translation>储值充值</translation>
    </message>
    <message>
        <source>Platform settlement</source>
        <translation>平台结算</translation>
    </message>
    <message>
        <source>Stored-value card payment</source>
        <translation>储值卡支付</translation>
    </message>
    <message>
        <source>Gift card payment</source>
        <translation>赠送卡支付</translation>
    </message>
    <message>
        <source>Group-buy voucher redemption</source>
        <translation>团购券核销</translation>
    </message>
    <message>
        <source>Personnel</source>
        <translation>人力成本</translation>
    </message>
    <message>
        <source>Operating expenses</source>
        <translation>经营费用</translation>
    </message>
    <message>
        <source>Purchases</source>
        <translation>采购成本</translation>
    </message>
    <message>
        <source>Platform fees</source>
        <translation>平台费用</translation>
    </message>
    <message>
        <source>Coach course cost</source>
        <translation>助教课时费用</translation>
    </message>
    <message>
        <source>Other staff pay</source>
        <translation>其他员工薪酬</translation>
    </message>
    <message>
        <source>Rent</source>
        <translation>房租</translation>
    </message>
    <message>
        <source>Utilities</source>
        <translation>水电</translation>
    </message>
    <message>
        <source>Maintenance</source>
        <translation>维修</translation>
    </message>
    <message>
        <source>Consumables</source>
        <translation>耗材</translation>
    </message>
    <message>
        <source>Goods for resale</source>
        <translation>商品采购</translation>
    </message>
    <message>
        <source>Meituan</source>
        <translation>美团</translation>
    </message>
    <message>
        <source>Douyin</source>
        <translation>抖音</translation>
    </message>
    <message>
        <source>Stored-value card</source>
        <translation>储值卡</translation>
    </message>
    <message>
        <source>Gift card</source>
        <translation>赠送卡</translation>
    </message>
    <message>
        <source>its cash was counted when the card was recharged</source>
        <translation>现金已在充值时计入</translation>
    </message>
    <message>
        <source>gift value is never cash</source>
        <translation>赠送金额不是现金</translation>
    </message>
    <message>
        <source>counted when the platform settles</source>
        <translation>在平台结算时计入</translation>
    </message>
</context>
<context>
    <name>riskdesk::FinancePrepaidMatrix</name>
    <message>
        <source>Reading the prepaid funds</source>
        <translation>读取预收资产</translation>
    </message>
    <message>
        <source>Prepaid funds</source>
        <translation>预收资产</translation>
    </message>
    <message>
        <source>Card</source>
        <translation>卡类型</translation>
    </message>
    <message>
        <source>Opening balance</source>
        <translation>期初余额</translation>
    </message>
    <message>
        <source>Additions</source>
        <translation>本期增加</translation>
    </message>
    <message>
        <source>Consumption</source>
        <translation>本期消耗</translation>
    </message>
    <message>
        <source>Refunds</source>
        <translation>退款</translation>
    </message>
    <message>
        <source>Adjustments</source>
        <translation>调整</translation>
    </message>
    <message>
        <source>Closing balance</source>
        <translation>期末余额</translation>
    </message>
    <message>
        <source>Active cards</source>
        <translation>有效卡数</translation>
    </message>
    <message>
        <source>Roll-forward</source>
        <translation>滚动核对</translation>
    </message>
    <message>
        <source>Reconciles</source>
        <translation>已对平</translation>
    </message>
    <message>
        <source>%1 (difference %2)</source>
        <translation>%1（差额 %2）</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Prepaid total</source>
        <translation>预收资产合计</translation>
    </message>
    <message>
        <source>opening balance (no closing balance is recorded for %1)</source>
        <translation>期初余额（%1 没有期末余额记录）</translation>
    </message>
    <message>
        <source>opening balance of %1 (no closing balance is recorded for %2)</source>
        <translation>%1的期初余额（%2 没有期末余额记录）</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
</context>
<context>
    <name>riskdesk::FinanceRevenueStructure</name>
    <message>
        <source>Reading the revenue structure</source>
        <translation>读取收入结构</translation>
    </message>
    <message>
        <source>The revenue of the period is too large to add up exactly.</source>
        <translation>本期收入数值过大，无法精确求和。</translation>
    </message>
    <message>
        <source>Reading the discount breakdown</source>
        <translation>读取优惠明细</translation>
    </message>
    <message>
        <source>Accrued revenue structure</source>
        <translation>应计收入结构</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Gross</source>
        <translation>原价</translation>
    </message>
    <message>
        <source>Discount</source>
        <translation>优惠</translation>
    </message>
    <message>
        <source>Accrued</source>
        <translation>应计收入</translation>
    </message>
    <message>
        <source>Share</source>
        <translation>占比</translation>
    </message>
    <message>
        <source>Previous accrued</source>
        <translation>上期应计收入</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>环比</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Discounts by type</source>
        <translation>优惠明细（按类型）</translation>
    </message>
    <message>
        <source>Discount type</source>
        <translation>优惠类型</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>too large to add up exactly</source>
        <translation>数值过大，无法精确求和</translation>
    </message>
</context>
<context>
    <name>riskdesk::FinanceSource</name>
    <message>
        <source>Reading the coach service income</source>
        <translation>读取助教服务收入</translation>
    </message>
</context>
<context>
    <name>riskdesk::FinanceTrend</name>
    <message>
        <source>Reading the daily trend</source>
        <translation>读取每日趋势</translation>
    </message>
    <message>
        <source>Trend of accrued revenue, cash inflow and cash outflow</source>
        <translation>应计收入、现金流入与现金流出趋势</translation>
    </message>
    <message>
        <source>From</source>
        <translation>起</translation>
    </message>
    <message>
        <source>To</source>
        <translation>止</translation>
    </message>
    <message>
        <source>Accrued revenue</source>
        <translation>应计收入</translation>
    </message>
    <message>
        <source>Cash inflow</source>
        <translation>现金流入</translation>
    </message>
    <message>
        <source>Cash outflow</source>
        <translation>现金流出</translation>
    </message>
    <message>
        <source>By day</source>
        <translation>按日</translation>
    </message>
    <message>
        <source>By week (Monday to Sunday)</source>
        <translation>按周（周一至周日）</translation>
    </message>
    <message>
        <source>By calendar month</source>
        <translation>按自然月</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Trend of the previous period</source>
        <translation>上期趋势</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>按日</translation>
    </message>
    <message>
        <source>Week</source>
        <translation>按周</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>按月</translation>
    </message>
    <message>
        <source>The week of %1 holds %2 of its %3 days (%4 ~ %5): its figures are partial.</source>
        <translation>%1 起的一周只含其 %3 天中的 %2 天（%4 ~ %5）：数据不完整。</translation>
    </message>
    <message>
        <source>%1 holds %2 of its %3 days (%4 ~ %5): its figures are partial.</source>
        <translation>%1 只含其 %3 天中的 %2 天（%4 ~ %5）：数据不完整。</translation>
    </message>
</context>
<context>
    <name>riskdesk::FlowDiagramView</name>
    <message>
        <source>Rule flow diagram</source>
        <translation>规则流程图</translation>
    </message>
    <message>
        <source>No rule to draw</source>
        <translation>没有可绘制的规则</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Fit to window</source>
        <translation>适应窗口</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>放大</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <source>Export SVG…</source>
        <translation>导出 SVG…</translation>
    </message>
    <message>
        <source>Export the diagram as SVG</source>
        <translation>将流程图导出为 SVG</translation>
    </message>
    <message>
        <source>SVG images (*.svg)</source>
        <translation>SVG 图像 (*.svg)</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <source>Export PNG…</source>
        <translation>导出 PNG…</translation>
    </message>
    <message>
        <source>Export the diagram as PNG</source>
        <translation>将流程图导出为 PNG</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>True for this case</source>
        <translation>此记录：成立</translation>
    </message>
    <message>
        <source>False for this case</source>
        <translation>此记录：不成立</translation>
    </message>
    <message>
        <source>Undecided for this case: facts are missing</source>
        <translation>此记录：缺少事实，无法判断</translation>
    </message>
    <message>
        <source>Rule flow diagram: %1</source>
        <translation>规则流程图：%1</translation>
    </message>
</context>
<context>
    <name>riskdesk::FlowExport</name>
    <message>
        <source>%1 flow</source>
        <translation>%1流程说明</translation>
    </message>
    <message>
        <source>A read-only risk rule flow diagram showing field facts, set intersections, date ranges, exception wording and the hit path.</source>
        <translation>风险规则只读流程图，展示字段事实、集合交集、日期范围、特例说明和命中路径。</translation>
    </message>
</context>
<context>
    <name>riskdesk::FlowLayout</name>
    <message>
        <source>Read the rule&apos;s fields and normalise them into facts</source>
        <translation>读取规则字段并归一化为判断事实</translation>
    </message>
    <message>
        <source>Field facts</source>
        <translation>字段事实</translation>
    </message>
    <message>
        <source>Business input</source>
        <translation>业务输入</translation>
    </message>
    <message>
        <source>Conditions</source>
        <translation>判断条件</translation>
    </message>
    <message>
        <source>Hit logic</source>
        <translation>命中逻辑</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>继续流转</translation>
    </message>
    <message>
        <source>To review</source>
        <translation>进入复核</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>RULE FLOW</source>
        <translation>规则流程</translation>
    </message>
</context>
<context>
    <name>riskdesk::FlowSpecBuilder</name>
    <message>
        <source>Travel</source>
        <translation>差旅</translation>
    </message>
    <message>
        <source>Expenses</source>
        <translation>费用报销</translation>
    </message>
    <message>
        <source>Payments</source>
        <translation>支付</translation>
    </message>
    <message>
        <source>Merchants</source>
        <translation>商户</translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation>账户</translation>
    </message>
    <message>
        <source>Insurance claims</source>
        <translation>保险理赔</translation>
    </message>
    <message>
        <source>Risk rule decision flow</source>
        <translation>风险规则判断流程</translation>
    </message>
    <message>
        <source>Business document submitted</source>
        <translation>业务单据提交</translation>
    </message>
    <message>
        <source>Read the rule&apos;s fields</source>
        <translation>读取规则字段</translation>
    </message>
    <message>
        <source>No risk hit, continue</source>
        <translation>未命中风险，继续流转</translation>
    </message>
    <message>
        <source>%1 hit, to manual review</source>
        <translation>命中%1，进入人工复核</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>判断</translation>
    </message>
    <message numerus="yes">
        <source>; %n more decision node(s) summarised by the hit logic</source>
        <translation>
            <numerusform>；另有 %n 个判断节点按命中逻辑汇总</numerusform>
        </translation>
    </message>
    <message>
        <source>Decide whether the risk is hit</source>
        <translation>判断是否命中风险</translation>
    </message>
    <message>
        <source>Decide by the rule&apos;s fields</source>
        <translation>根据规则字段判断</translation>
    </message>
    <message>
        <source>Fact</source>
        <translation>事实</translation>
    </message>
    <message>
        <source>rule fields</source>
        <translation>规则字段</translation>
    </message>
</context>
<context>
    <name>riskdesk::FlowWording</name>
    <message>
        <source>, </source>
        <comment>between the items of a list of fields or keywords</comment>
        <translation>、</translation>
    </message>
    <message>
        <source>field set</source>
        <translation>字段集合</translation>
    </message>
    <message>
        <source>%1 not in [%2, %3]</source>
        <translation>%1 不在 [%2, %3]</translation>
    </message>
    <message>
        <source>threshold</source>
        <translation>阈值</translation>
    </message>
    <message>
        <source>%1 has a repeated value</source>
        <translation>%1 出现重复值</translation>
    </message>
    <message>
        <source>keywords</source>
        <translation>关键词</translation>
    </message>
    <message>
        <source>%1 does not contain %2</source>
        <translation>%1 不含 %2</translation>
    </message>
    <message>
        <source>%1 contains %2</source>
        <translation>%1 包含 %2</translation>
    </message>
    <message>
        <source>any of %1 has a value</source>
        <translation>%1 任一有值</translation>
    </message>
    <message>
        <source>all of %1 have values</source>
        <translation>%1 全部有值</translation>
    </message>
    <message>
        <source>rule condition</source>
        <translation>规则条件</translation>
    </message>
    <message>
        <source>%1 ∩ %2 = ∅ with no explanation, or a route city nothing explains</source>
        <translation>%1 ∩ %2 = ∅ 且无合理说明，或行程途经无法解释的城市</translation>
    </message>
</context>
<context>
    <name>riskdesk::GuiLauncher</name>
    <message>
        <source>The workspace %1 has no users yet. Create a demo with: riskdesk demo --workspace %1</source>
        <translation>工作区 %1 中还没有用户。可用以下命令创建演示数据：riskdesk demo --workspace %1</translation>
    </message>
    <message>
        <source>The workspace %1 has no users or exceptions yet.

Create demo data to try Riskdesk?</source>
        <translation>工作区 %1 中还没有用户或特例。

是否创建演示数据来试用 Riskdesk？</translation>
    </message>
    <message>
        <source>riskdesk: cannot write the screenshot to %1</source>
        <translation>riskdesk：无法将截图写入 %1</translation>
    </message>
    <message>
        <source>riskdesk: %1</source>
        <translation>riskdesk：%1</translation>
    </message>
    <message>
        <source>Riskdesk</source>
        <translation>Riskdesk</translation>
    </message>
    <message>
        <source>Receiving the workspace from the server…</source>
        <translation>正在从服务器接收工作区…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>First sync</source>
        <translation>首次同步</translation>
    </message>
    <message>
        <source>Receiving the workspace from the server… %1 exceptions</source>
        <translation>正在从服务器接收工作区… 已接收 %1 条特例</translation>
    </message>
    <message>
        <source>Cannot reach the server yet; trying again.
%1</source>
        <translation>暂时无法连接服务器，正在重试。
%1</translation>
    </message>
    <message>
        <source>There is no workspace at %1.

Create a demo workspace there to try Riskdesk?</source>
        <translation>%1 处没有工作区。

要在该位置创建演示工作区来试用 Riskdesk 吗？</translation>
    </message>
    <message>
        <source>There is no workspace at %1. Create one with: riskdesk demo --workspace %1</source>
        <translation>%1 处没有工作区。可用以下命令创建：riskdesk demo --workspace %1</translation>
    </message>
    <message>
        <source>No workspace yet</source>
        <translation>尚无工作区</translation>
    </message>
    <message>
        <source>The backend login &quot;%1&quot; is not a member of tenant %2.</source>
        <translation>后端登录账号“%1”不是租户 %2 的成员。</translation>
    </message>
    <message>
        <source>With a backend you work as its login: &quot;%1&quot; is %2 here, so --user %3 is refused.</source>
        <translation>连接后端时，您只能以后端登录账号的身份工作：“%1”在此对应用户 %2，因此拒绝 --user %3。</translation>
    </message>
    <message>
        <source>There is no tenant &quot;%1&quot; in %2 (its tenants: %3).</source>
        <translation>%2 中没有租户“%1”（其租户：%3）。</translation>
    </message>
    <message>
        <source>There is no user &quot;%1&quot; in %2.</source>
        <translation>%2 中没有用户“%1”。</translation>
    </message>
    <message>
        <source>User &quot;%1&quot; is not a member of tenant &quot;%2&quot; (their tenants: %3).</source>
        <translation>用户“%1”不是租户“%2”的成员（其所属租户：%3）。</translation>
    </message>
</context>
<context>
    <name>riskdesk::IdentityMark</name>
    <message>
        <source>Identity asserted on this desktop</source>
        <translation>身份由本机自行声明</translation>
    </message>
    <message>
        <source>Backend login</source>
        <translation>后端登录</translation>
    </message>
    <message>
        <source>The user was picked from this workspace&apos;s list (or named on the command line) with no backend to check who it was. The mark is covered by the entry&apos;s hash.</source>
        <translation>该用户是从本工作区的用户列表中选取的（或在命令行中指定），没有后端核验其身份。此标记已纳入该条目的哈希。</translation>
    </message>
    <message>
        <source>The desktop was signed in to the backend as this user, the password checked by the server. The server&apos;s own log is the proof of it.</source>
        <translation>本机以该用户的身份登录后端，密码已由服务器核验。服务器自身的日志即为凭证。</translation>
    </message>
    <message>
        <source>Written before identities were recorded, or by the system.</source>
        <translation>写于开始记录身份之前，或由系统写入。</translation>
    </message>
    <message>
        <source>An identity mark this version does not know: &quot;%1&quot;.</source>
        <translation>此版本无法识别的身份标记：“%1”。</translation>
    </message>
</context>
<context>
    <name>riskdesk::ImpactPreview</name>
    <message>
        <source>pass</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>pass with monitoring</source>
        <translation>通过并监控</translation>
    </message>
    <message>
        <source>needs supplement</source>
        <translation>需补充材料</translation>
    </message>
    <message>
        <source>manual review</source>
        <translation>人工复核</translation>
    </message>
    <message>
        <source>reject</source>
        <translation>拒绝</translation>
    </message>
</context>
<context>
    <name>riskdesk::IntimacyLevels</name>
    <message>
        <source>Reading the intimacy levels</source>
        <translation>读取亲密度等级</translation>
    </message>
    <message>
        <source>Intimacy scores outside 0–100: check the level configuration.</source>
        <translation>亲密度分值超出 0–100，请核对等级配置。</translation>
    </message>
</context>
<context>
    <name>riskdesk::Invocation</name>
    <message>
        <source>--lang must be en or zh_CN, not &quot;%1&quot;.</source>
        <translation>--lang 必须是 en 或 zh_CN，不能是“%1”。</translation>
    </message>
    <message>
        <source>%1 is given more than once.</source>
        <translation>%1 重复指定了多次。</translation>
    </message>
    <message>
        <source>Unknown option %1. See: riskdesk --help</source>
        <translation>未知选项 %1。详见：riskdesk --help</translation>
    </message>
    <message>
        <source>%1 needs a value.</source>
        <translation>%1 需要一个值。</translation>
    </message>
    <message>
        <source>Unknown command &quot;%1&quot;. See: riskdesk --help</source>
        <translation>未知命令“%1”。详见：riskdesk --help</translation>
    </message>
    <message>
        <source>There are no benchmarks in riskdesk: they are in riskdesk-bench, built with the sources (see riskdesk-bench --help).</source>
        <translation>riskdesk 中没有基准测试：基准测试在随源码构建的 riskdesk-bench 中（详见 riskdesk-bench --help）。</translation>
    </message>
</context>
<context>
    <name>riskdesk::JsonDuplicateKeys</name>
    <message>
        <source>the key &quot;%1&quot; is written twice in one object (again at byte %2), so which value is meant is not clear.</source>
        <translation>键“%1”在同一个对象中出现了两次（第二次在第 %2 字节处），无法确定应取哪个值。</translation>
    </message>
</context>
<context>
    <name>riskdesk::JsonInputFile</name>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>%1 is empty: it must hold %2.</source>
        <translation>%1 是空文件：它应包含%2。</translation>
    </message>
    <message>
        <source>%1 is not valid JSON: %2 near %3.</source>
        <translation>%1 不是有效的 JSON：%3附近%2。</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>%1 must hold %2.</source>
        <translation>%1 应包含%2。</translation>
    </message>
    <message>
        <source>line %1, column %2</source>
        <translation>第 %1 行第 %2 列</translation>
    </message>
</context>
<context>
    <name>riskdesk::LogActionText</name>
    <message>
        <source>Approved</source>
        <translation>已通过</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>已驳回</translation>
    </message>
    <message>
        <source>Withdrawn</source>
        <translation>已撤回</translation>
    </message>
    <message>
        <source>Rejected automatically</source>
        <translation>自动驳回</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>已过期</translation>
    </message>
</context>
<context>
    <name>riskdesk::MainWindow</name>
    <message>
        <source>Riskdesk</source>
        <translation>Riskdesk</translation>
    </message>
    <message>
        <source>Tenant:</source>
        <translation>租户：</translation>
    </message>
    <message>
        <source>Active tenant</source>
        <translation>当前租户</translation>
    </message>
    <message>
        <source>Switch user…</source>
        <translation>切换用户…</translation>
    </message>
    <message>
        <source>Review queue</source>
        <translation>审批队列</translation>
    </message>
    <message>
        <source>Approval log</source>
        <translation>审批日志</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Switch user…</source>
        <translation>切换用户(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>Review &amp;queue</source>
        <translation>审批队列(&amp;Q)</translation>
    </message>
    <message>
        <source>Approval &amp;log</source>
        <translation>审批日志(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Workspace: %1</source>
        <translation>工作区：%1</translation>
    </message>
    <message>
        <source>Rules</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>R&amp;ules</source>
        <translation>规则(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Backend…</source>
        <translation>后端(&amp;B)…</translation>
    </message>
    <message>
        <source>Backend</source>
        <translation>后端</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a PostgreSQL URL; it starts with postgresql://</source>
        <translation>“%1”不是 PostgreSQL 地址；地址应以 postgresql:// 开头</translation>
    </message>
    <message>
        <source>First sync: %1 exceptions received…</source>
        <translation>首次同步：已接收 %1 条特例…</translation>
    </message>
    <message numerus="yes">
        <source> · %n conflict(s)</source>
        <translation>
            <numerusform> · %n 个冲突</numerusform>
        </translation>
    </message>
    <message>
        <source>Last error: %1</source>
        <translation>最近错误：%1</translation>
    </message>
    <message numerus="yes">
        <source> · preparing the queue (%n index(es) left)</source>
        <translation>
            <numerusform> · 正在准备队列（剩余 %n 个索引）</numerusform>
        </translation>
    </message>
    <message>
        <source> · building the search index (%1%)</source>
        <translation> · 正在构建搜索索引（%1%）</translation>
    </message>
    <message>
        <source>The first sync&apos;s rows are all here; until their indexes are built, sorting and searching work but take longer.</source>
        <translation>首次同步的数据已全部到达；索引建好之前，排序和搜索仍可使用，但会慢一些。</translation>
    </message>
    <message>
        <source>Local workspace</source>
        <translation>本地工作区</translation>
    </message>
    <message numerus="yes">
        <source>No backend is set: decisions stay in this workspace. File → Backend… connects one; %n decision(s) made here would then be sent to it.</source>
        <translation>
            <numerusform>未设置后端：审批决定仅保存在本工作区。可通过“文件 → 后端…”连接后端；连接后，此处作出的 %n 项决定将同步到后端。</numerusform>
        </translation>
    </message>
    <message>
        <source>Workspace: %1 (read-only)</source>
        <translation>工作区：%1（只读）</translation>
    </message>
    <message>
        <source>⚠ No decisions can be made here. %1</source>
        <translation>⚠ 此处不能做出审批决定。%1</translation>
    </message>
    <message>
        <source>Boards</source>
        <translation>看板</translation>
    </message>
    <message>
        <source>&amp;Boards</source>
        <translation>看板(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;About Riskdesk</source>
        <translation>关于 Riskdesk(&amp;A)</translation>
    </message>
    <message>
        <source>About Riskdesk</source>
        <translation>关于 Riskdesk</translation>
    </message>
    <message>
        <source>Riskdesk %1
Risk exceptions, boards and audit.</source>
        <translation>Riskdesk %1
风险特例、看板与审计。</translation>
    </message>
    <message>
        <source>Signed in as %1 (%2) · %3 · backend login %4</source>
        <translation>当前用户：%1（%2）· %3 · 后端登录账号 %4</translation>
    </message>
    <message>
        <source>The server checked this login&apos;s password; it accepts decisions from this login only.</source>
        <translation>服务器已核验此登录账号的密码；服务器只接受该账号作出的决定。</translation>
    </message>
    <message>
        <source>Signed in as %1 (%2) · %3 · identity asserted on this desktop</source>
        <translation>当前用户：%1（%2）· %3 · 身份由本机自行声明</translation>
    </message>
    <message>
        <source>Picked from this workspace&apos;s list, with no backend to check it: every decision made here is marked in the approval log as identity asserted on this desktop.</source>
        <translation>此用户从本工作区的列表中选取，没有后端核验：在此作出的每项决定都会在审批日志中标记为“身份由本机自行声明”。</translation>
    </message>
    <message>
        <source>The shared server, e.g. postgresql://li.wei@db.example.com:5432/riskdesk
You then sign in as that login: its password is asked for and kept in this desktop&apos;s keychain, never in a settings file.</source>
        <translation>共享服务器，例如 postgresql://li.wei@db.example.com:5432/riskdesk
随后您将以该登录账号登录：系统会询问其密码并保存在本机钥匙串中，绝不写入设置文件。</translation>
    </message>
    <message>
        <source>&amp;New request…</source>
        <translation>新建申请(&amp;N)…</translation>
    </message>
    <message>
        <source>File a request for an exception to a risk rule (Ctrl+N)</source>
        <translation>提交一条风险规则特例申请（Ctrl+N）</translation>
    </message>
    <message>
        <source>Only applicants and approvers file requests.</source>
        <translation>只有申请人和审批人可以提交申请。</translation>
    </message>
    <message>
        <source>No requests can be filed here. %1</source>
        <translation>此处不能提交申请。%1</translation>
    </message>
    <message>
        <source>%1 is filed: pending, waiting to be sent to the server.</source>
        <translation>%1 已提交：待审批，等待发送到服务器。</translation>
    </message>
    <message numerus="yes">
        <source> · %n waiting</source>
        <translation>
            <numerusform> · %n 项待同步</numerusform>
        </translation>
    </message>
    <message>
        <source>Online · synced %1</source>
        <translation>在线 · %1 已同步</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) made here wait to be pushed to the server (decisions, requests, comments and assignments).</source>
        <translation>
            <numerusform>此处所做的 %n 项更改等待推送到服务器（决定、申请、评论和分派）。</numerusform>
        </translation>
    </message>
    <message>
        <source>Every change made here has been pushed to the server.</source>
        <translation>此处所做的全部更改均已推送到服务器。</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <comment>board title — the clicked figure</comment>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>Switch user</source>
        <translation>切换用户</translation>
    </message>
    <message numerus="yes">
        <source>You have %n comment(s) or rejection reason(s) typed and not sent. The next person to sign in is not shown them, so they are discarded.</source>
        <translation>
            <numerusform>您有 %n 条已输入但未发送的评论或驳回理由。下一位登录的人看不到它们，因此它们将被丢弃。</numerusform>
        </translation>
    </message>
    <message>
        <source>Discard and switch</source>
        <translation>丢弃并切换</translation>
    </message>
    <message>
        <source>Quit Riskdesk</source>
        <translation>退出 Riskdesk</translation>
    </message>
    <message numerus="yes">
        <source>You have %n comment(s) or rejection reason(s) typed and not sent. They are not kept when Riskdesk quits.</source>
        <translation>
            <numerusform>您有 %n 条已输入但未发送的评论或驳回理由。Riskdesk 退出后不会保留它们。</numerusform>
        </translation>
    </message>
    <message>
        <source>Discard and quit</source>
        <translation>丢弃并退出</translation>
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
        <translation>审批队列
上 / 下：在队列中移动
Shift+上 / Shift+下、Shift+单击、Ctrl+单击：选择多个特例
A 或 Ctrl+Return：通过所选特例；选中多个特例时，按此键或点详情面板的“通过”会先请您确认全部
R 或 Ctrl+Shift+Return：驳回（需填写理由）；选中多个特例时同样先请您确认
Ctrl+Shift+M：认领；Ctrl+Shift+A：指派；Ctrl+Shift+U：释放；Ctrl+Shift+E：升级给主管
评论框中 Ctrl+Return：发送评论（不会通过特例）
Ctrl+F：搜索；Esc：清除搜索
Ctrl+N：新建申请

审批日志
在记录上按 Enter 或双击：在队列中打开其特例

全局
F5：刷新；Ctrl+1 / Ctrl+2 / Ctrl+3 / Ctrl+4：审批队列 / 审批日志 / 规则 / 看板
流程图中：Ctrl+滚轮或 +/- 缩放，0 适应窗口，方向键或拖动平移
Ctrl+Q：退出</translation>
    </message>
    <message>
        <source>%1 is filed: pending.</source>
        <translation>%1 已提交：待审批。</translation>
    </message>
    <message>
        <source>Switched to %1: %2 is one of its exceptions.</source>
        <translation>已切换到 %1：%2 是该租户的特例。</translation>
    </message>
</context>
<context>
    <name>riskdesk::MoneyFormat</name>
    <message>
        <source>&quot;%1&quot; is not an amount of yuan; write digits with at most two decimals, e.g. 1234.50.</source>
        <translation>“%1”不是有效的人民币金额，请填写最多两位小数的数字，例如 1234.50。</translation>
    </message>
</context>
<context>
    <name>riskdesk::NameCollation</name>
    <message>
        <source>The connection is not an SQLite database.</source>
        <translation>该连接不是 SQLite 数据库。</translation>
    </message>
    <message>
        <source>Could not set up the order of names: %1</source>
        <translation>无法设置姓名的排序规则：%1</translation>
    </message>
</context>
<context>
    <name>riskdesk::NativeStatement</name>
    <message>
        <source>The workspace connection is not SQLite.</source>
        <translation>工作区连接不是 SQLite。</translation>
    </message>
    <message>
        <source>Preparing a statement failed: %1</source>
        <translation>准备语句失败：%1</translation>
    </message>
    <message>
        <source>Writing to the workspace failed: %1</source>
        <translation>写入工作区失败：%1</translation>
    </message>
    <message>
        <source>Reading the workspace</source>
        <translation>读取工作区</translation>
    </message>
</context>
<context>
    <name>riskdesk::NewRequestDialog</name>
    <message>
        <source>New request in %1</source>
        <translation>在 %1 新建申请</translation>
    </message>
    <message>
        <source>Ask for an exception to a risk rule for one target during a validity window. An approver decides; you can withdraw it while it is pending.</source>
        <translation>为一个对象申请在有效期内豁免某条风险规则。由审批人决定；待审批期间您可以撤回。</translation>
    </message>
    <message>
        <source>Target &amp;type:</source>
        <translation>对象类型(&amp;T)：</translation>
    </message>
    <message>
        <source>e.g. CLM-20260304-0017</source>
        <translation>例如 CLM-20260304-0017</translation>
    </message>
    <message>
        <source>Target &amp;id:</source>
        <translation>对象编号(&amp;I)：</translation>
    </message>
    <message>
        <source>Loading the rules…</source>
        <translation>正在读取规则…</translation>
    </message>
    <message>
        <source>&amp;Rule:</source>
        <translation>规则(&amp;R)：</translation>
    </message>
    <message>
        <source>Valid &amp;from:</source>
        <translation>生效时间(&amp;F)：</translation>
    </message>
    <message>
        <source>Valid &amp;until:</source>
        <translation>截止时间(&amp;U)：</translation>
    </message>
    <message>
        <source>Reason &amp;category:</source>
        <translation>原因类别(&amp;C)：</translation>
    </message>
    <message>
        <source>Why the rule should not apply to this target for this time.</source>
        <translation>为什么这条规则在这段时间内不应适用于该对象。</translation>
    </message>
    <message>
        <source>&amp;Justification:</source>
        <translation>申请理由(&amp;J)：</translation>
    </message>
    <message>
        <source>Drop files here, or add them with the button.</source>
        <translation>把文件拖到这里，或用按钮添加。</translation>
    </message>
    <message>
        <source>&amp;Add files…</source>
        <translation>添加文件(&amp;A)…</translation>
    </message>
    <message>
        <source>Re&amp;move</source>
        <translation>移除(&amp;M)</translation>
    </message>
    <message>
        <source>Images, PDF, text or CSV; at most %1 each.</source>
        <translation>图片、PDF、文本或 CSV；每个最大 %1。</translation>
    </message>
    <message>
        <source>Attac&amp;hments:</source>
        <translation>附件(&amp;H)：</translation>
    </message>
    <message>
        <source>The chosen rule&apos;s flow diagram</source>
        <translation>所选规则的流程图</translation>
    </message>
    <message>
        <source>&amp;File request</source>
        <translation>提交申请(&amp;F)</translation>
    </message>
    <message>
        <source>Ctrl+Return</source>
        <translation>Ctrl+Return</translation>
    </message>
    <message>
        <source>Choose a rule</source>
        <translation>选择规则</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>%1 · %2 (inactive)</source>
        <translation>%1 · %2（未启用）</translation>
    </message>
    <message>
        <source>Severity: %1.</source>
        <translation>严重程度：%1。</translation>
    </message>
    <message>
        <source>This rule is not active: it takes no new requests.</source>
        <translation>此规则未启用：不接受新的申请。</translation>
    </message>
    <message numerus="yes">
        <source>A window of at most %n day(s).</source>
        <translation>
            <numerusform>有效期最长 %n 天。</numerusform>
        </translation>
    </message>
    <message>
        <source>Attach files</source>
        <translation>添加附件</translation>
    </message>
    <message>
        <source>Images, PDF, text and CSV (*.png *.jpg *.jpeg *.gif *.webp *.bmp *.tif *.tiff *.pdf *.txt *.csv);;All files (*)</source>
        <translation>图片、PDF、文本和 CSV (*.png *.jpg *.jpeg *.gif *.webp *.bmp *.tif *.tiff *.pdf *.txt *.csv);;所有文件 (*)</translation>
    </message>
    <message>
        <source>%1 · %2 · %3</source>
        <translation>%1 · %2 · %3</translation>
    </message>
    <message>
        <source>Choose a category in use, or type a new one</source>
        <translation>选择在用的类别，或输入新的类别</translation>
    </message>
    <message>
        <source>Choose one in use, or type a new one</source>
        <translation>选择在用的类别，或输入新类别</translation>
    </message>
    <message>
        <source>%1 has the same content as %2, which is attached already.</source>
        <translation>%1 与已附加的 %2 内容相同。</translation>
    </message>
    <message>
        <source>For %1 targets.</source>
        <translation>适用于%1类目标。</translation>
    </message>
    <message>
        <source>Click to see the diagram large</source>
        <translation>点击放大查看流程图</translation>
    </message>
    <message>
        <source>Rule flow: %1</source>
        <translation>规则流程：%1</translation>
    </message>
</context>
<context>
    <name>riskdesk::OverwriteGuard</name>
    <message>
        <source>%1 is the file this command reads; name another file for its output.</source>
        <translation>%1 是此命令读取的文件；请为输出指定另一个文件。</translation>
    </message>
    <message>
        <source>%1 is a database (a Riskdesk workspace or another SQLite file); an export never replaces one. Name another file.</source>
        <translation>%1 是一个数据库（Riskdesk 工作区或其他 SQLite 文件）；导出从不覆盖数据库。请指定另一个文件。</translation>
    </message>
    <message>
        <source>%1 belongs to the database %2; an export never replaces it. Name another file.</source>
        <translation>%1 属于数据库 %2；导出从不覆盖它。请指定另一个文件。</translation>
    </message>
</context>
<context>
    <name>riskdesk::PeriodChange</name>
    <message>
        <source>%1 pp</source>
        <comment>a difference of rates in percentage points</comment>
        <translation>%1 个百分点</translation>
    </message>
    <message>
        <source>new</source>
        <comment>period-over-period when the previous period was zero</comment>
        <translation>新增</translation>
    </message>
    <message>
        <source>previous period was 0</source>
        <translation>上期为 0</translation>
    </message>
    <message>
        <source>no data for the current period</source>
        <translation>本期无数据</translation>
    </message>
    <message>
        <source>no data for the previous period</source>
        <translation>上期无数据</translation>
    </message>
</context>
<context>
    <name>riskdesk::PgConnection</name>
    <message>
        <source>Cannot reach the server: out of memory.</source>
        <translation>无法连接服务器：内存不足。</translation>
    </message>
    <message>
        <source>Cannot connect to the server: %1</source>
        <translation>无法连接服务器：%1</translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation>%1失败：%2</translation>
    </message>
    <message>
        <source>A server query</source>
        <translation>服务器查询</translation>
    </message>
    <message>
        <source>A server script</source>
        <translation>服务器脚本</translation>
    </message>
    <message>
        <source>Reading rows from the server</source>
        <translation>从服务器读取数据</translation>
    </message>
    <message>
        <source>Writing rows to the server</source>
        <translation>向服务器写入数据</translation>
    </message>
    <message>
        <source>Value %1 contains a NUL character (U+0000), which the server cannot store; it was not sent.</source>
        <translation>第 %1 个值中含有 NUL 字符（U+0000），服务器无法保存，因此未发送。</translation>
    </message>
    <message>
        <source>The statement contains a NUL character (U+0000); it was not sent.</source>
        <translation>语句中含有 NUL 字符（U+0000），因此未发送。</translation>
    </message>
    <message>
        <source>stopped before the server answered.</source>
        <translation>在服务器答复之前已停止。</translation>
    </message>
    <message>
        <source>no answer within %1 s.</source>
        <translation>%1 秒内没有答复。</translation>
    </message>
</context>
<context>
    <name>riskdesk::QueueFactsRederive</name>
    <message>
        <source>Preparing the risk-operations facts</source>
        <translation>正在准备风控运营数据</translation>
    </message>
    <message>
        <source>Deriving the risk-operations facts from the server&apos;s log</source>
        <translation>正在根据服务器日志推导风控运营数据</translation>
    </message>
</context>
<context>
    <name>riskdesk::QueueFormatting</name>
    <message numerus="yes">
        <source>%n min</source>
        <translation>
            <numerusform>%n 分钟</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h</source>
        <translation>
            <numerusform>%n 小时</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n d</source>
        <translation>
            <numerusform>%n 天</numerusform>
        </translation>
    </message>
    <message>
        <source>ended</source>
        <translation>已结束</translation>
    </message>
    <message>
        <source>in %1</source>
        <translation>%1后</translation>
    </message>
    <message>
        <source>in &lt; 1 min</source>
        <translation>1 分钟内</translation>
    </message>
</context>
<context>
    <name>riskdesk::QueuePage</name>
    <message>
        <source>Status filter</source>
        <translation>按状态筛选</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>Rule filter</source>
        <translation>按规则筛选</translation>
    </message>
    <message>
        <source>Target type filter</source>
        <translation>按对象类型筛选</translation>
    </message>
    <message>
        <source>All targets</source>
        <translation>全部对象</translation>
    </message>
    <message>
        <source>Applicant filter</source>
        <translation>按申请人筛选</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>Search id, target, applicant, justification… (Ctrl+F)</source>
        <translation>搜索 ID、对象、申请人、申请理由…（Ctrl+F）</translation>
    </message>
    <message>
        <source>Exception queue</source>
        <translation>特例队列</translation>
    </message>
    <message>
        <source>Could not read the queue: %1</source>
        <translation>无法读取队列：%1</translation>
    </message>
    <message numerus="yes">
        <source>%n request(s) whose validity window ended were closed automatically.</source>
        <translation>
            <numerusform>%n 条申请因有效期结束已自动关闭。</numerusform>
        </translation>
    </message>
    <message>
        <source>All rules</source>
        <translation>全部规则</translation>
    </message>
    <message>
        <source>All applicants</source>
        <translation>全部申请人</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>加载中…</translation>
    </message>
    <message numerus="yes">
        <source>%n exception(s) shown; scroll for more</source>
        <translation>
            <numerusform>已显示 %n 条特例；向下滚动加载更多</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n exception(s)</source>
        <translation>
            <numerusform>共 %n 条特例</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n pending</source>
        <translation>
            <numerusform>%n 条待审批</numerusform>
        </translation>
    </message>
    <message>
        <source>Pending exceptions in %1</source>
        <translation>%1 中待审批的特例</translation>
    </message>
    <message>
        <source>%1 is now %2.</source>
        <translation>%1 现为%2。</translation>
    </message>
    <message>
        <source>Step %1 recorded; %2 now goes to %3.</source>
        <translation>已记录第 %1 步；%2 已转交 %3。</translation>
    </message>
    <message>
        <source>another approver</source>
        <translation>另一位审批人</translation>
    </message>
    <message>
        <source>No exception matches these filters.</source>
        <translation>没有符合这些筛选条件的特例。</translation>
    </message>
    <message>
        <source>There are no exceptions in %1 yet.</source>
        <translation>%1 中还没有特例。</translation>
    </message>
    <message>
        <source>Showing %1 from the board. Clear the filters to see the whole queue.</source>
        <translation>正在显示看板中的%1。清除筛选条件即可查看整个队列。</translation>
    </message>
    <message>
        <source>Select all matching</source>
        <translation>选择全部匹配项</translation>
    </message>
    <message>
        <source>Approve selected…</source>
        <translation>通过所选…</translation>
    </message>
    <message>
        <source>Reject selected…</source>
        <translation>驳回所选…</translation>
    </message>
    <message numerus="yes">
        <source>All %n exception(s) matching the filters are selected.</source>
        <translation>
            <numerusform>已选择符合筛选条件的全部 %n 条特例。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n selected.</source>
        <translation>
            <numerusform>已选择 %n 条。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Select all %n matching</source>
        <translation>
            <numerusform>选择全部 %n 条匹配项</numerusform>
        </translation>
    </message>
    <message>
        <source>Reading the selected exceptions…</source>
        <translation>正在读取所选特例…</translation>
    </message>
    <message>
        <source>Deciding %1 of %2…</source>
        <translation>正在审批（%1 / %2）…</translation>
    </message>
    <message>
        <source>Assignment filter</source>
        <translation>指派筛选</translation>
    </message>
    <message>
        <source>Anyone&apos;s</source>
        <translation>全部指派</translation>
    </message>
    <message>
        <source>Assigned to me</source>
        <translation>指派给我</translation>
    </message>
    <message>
        <source>Unassigned</source>
        <translation>未指派</translation>
    </message>
    <message>
        <source>Claim (assign to me)</source>
        <translation>认领（指派给我）</translation>
    </message>
    <message>
        <source>Assign to…</source>
        <translation>指派给…</translation>
    </message>
    <message>
        <source>Release</source>
        <translation>释放</translation>
    </message>
    <message>
        <source>Escalate to a lead…</source>
        <translation>升级给主管…</translation>
    </message>
    <message>
        <source>Assign to</source>
        <translation>指派给</translation>
    </message>
    <message>
        <source>Escalate to</source>
        <translation>升级给</translation>
    </message>
    <message>
        <source>No lead in this tenant</source>
        <translation>该租户没有主管</translation>
    </message>
    <message>
        <source>Only exceptions past their SLA are escalated.</source>
        <translation>只有超过 SLA 的特例可以升级。</translation>
    </message>
    <message>
        <source>%1 is released; nobody is assigned.</source>
        <translation>%1 已释放，当前未指派给任何人。</translation>
    </message>
    <message>
        <source>%1 is escalated to %2.</source>
        <translation>%1 已升级给 %2。</translation>
    </message>
    <message>
        <source>%1 is assigned to %2.</source>
        <translation>%1 已指派给 %2。</translation>
    </message>
    <message>
        <source>Withdraw the request</source>
        <translation>撤回申请</translation>
    </message>
    <message>
        <source>Withdraw %1? Nobody can decide it after that, and the withdrawal is kept in the approval log.</source>
        <translation>撤回 %1？撤回后任何人都不能再审批它，撤回操作会记入审批日志。</translation>
    </message>
    <message>
        <source>&amp;Withdraw</source>
        <translation>撤回(&amp;W)</translation>
    </message>
    <message>
        <source>Your comment on %1 was not saved: %2 It is kept as a draft there.</source>
        <translation>您对 %1 的评论未保存：%2 评论已作为草稿保留在该特例中。</translation>
    </message>
    <message numerus="yes">
        <source>%n request(s) in the list changed outside this window (another desktop or the command line); their rows show it now.</source>
        <translation>
            <numerusform>列表中有 %n 个申请在本窗口之外被更改（另一台电脑或命令行），其行已显示最新状态。</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 was %2 outside this window meanwhile; it can no longer be rejected here. Your text stays here to be copied.</source>
        <translation>此期间 %1 已在本窗口之外被处理（%2），不能再在这里驳回。您写的内容保留在这里，可以复制。</translation>
    </message>
    <message>
        <source>Only pending exceptions are assigned, and only by approvers.</source>
        <translation>只有待审批的特例可以指派，且只能由审批人指派。</translation>
    </message>
    <message>
        <source>Only pending exceptions are escalated, and only by approvers.</source>
        <translation>只有待审批的特例可以升级，且只能由审批人升级。</translation>
    </message>
    <message>
        <source>Routed to %1: only they can decide it</source>
        <translation>已转给 %1：只有其本人可以决定</translation>
    </message>
    <message>
        <source>The validity window of %1 ended before it was decided, so it was closed automatically (%2); it can no longer be rejected here. Your text stays here to be copied.</source>
        <translation>%1 的有效期在决定之前已结束，因此已被自动关闭（%2），不能再在这里驳回。您写的内容保留在这里，可以复制。</translation>
    </message>
    <message>
        <source>The validity window of %1 ended, so it was closed automatically.</source>
        <translation>%1 的有效期已结束，因此已被自动关闭。</translation>
    </message>
    <message>
        <source>Requests whose validity window ended could not be closed yet: another Riskdesk window or command is writing to the workspace. Riskdesk tries again in a minute.</source>
        <translation>有效期已结束的申请暂时无法关闭：另一个 Riskdesk 窗口或命令正在写入工作区。Riskdesk 将在一分钟后自动重试。</translation>
    </message>
    <message>
        <source>Requests whose validity window ended could not be closed: %1 Riskdesk tries again in a minute.</source>
        <translation>有效期已结束的申请无法关闭：%1 Riskdesk 将在一分钟后自动重试。</translation>
    </message>
    <message>
        <source>Recording the decision on %1…</source>
        <translation>正在记录对 %1 的决定…</translation>
    </message>
    <message>
        <source>%1 was not decided: %2</source>
        <translation>%1 的决定未能记录：%2</translation>
    </message>
    <message>
        <source>Approving %1</source>
        <translation>批准 %1</translation>
    </message>
    <message>
        <source>Rejecting %1</source>
        <translation>驳回 %1</translation>
    </message>
    <message>
        <source>Withdrawing %1</source>
        <translation>撤回 %1</translation>
    </message>
    <message>
        <source>The decision on %1 is still being recorded: the key was not taken. Press it again when it is done.</source>
        <translation>对 %1 的决定仍在记录中：这次按键未被接受。记录完成后请再按一次。</translation>
    </message>
    <message>
        <source>%1 It is kept as a draft on %2.</source>
        <translation>%1 它已作为草稿保存在 %2 上。</translation>
    </message>
    <message>
        <source>Saving your comment on %1</source>
        <translation>保存您对 %1 的评论</translation>
    </message>
    <message>
        <source>Saving your comment</source>
        <translation>保存您的评论</translation>
    </message>
    <message>
        <source>Changing who is assigned %1</source>
        <translation>更改 %1 的指派</translation>
    </message>
</context>
<context>
    <name>riskdesk::ReconciliationWarning</name>
    <message>
        <source>Does not reconcile</source>
        <translation>对账不平</translation>
    </message>
    <message>
        <source>Rule difference</source>
        <translation>口径差异</translation>
    </message>
    <message>
        <source>Cannot reconcile</source>
        <translation>无法对账</translation>
    </message>
    <message>
        <source>%1: %2. Expected %3, found %4 (difference %5).</source>
        <translation>%1：%2。应为 %3，实为 %4（差额 %5）。</translation>
    </message>
    <message>
        <source>%1: %2, because a figure it needs is missing (—).</source>
        <translation>%1：%2，所需的某项数据缺失（—）。</translation>
    </message>
    <message>
        <source>opening balance</source>
        <translation>期初余额</translation>
    </message>
    <message>
        <source>additions</source>
        <translation>本期增加</translation>
    </message>
    <message>
        <source>consumption</source>
        <translation>本期消耗</translation>
    </message>
    <message>
        <source>refunds</source>
        <translation>退款</translation>
    </message>
    <message>
        <source>adjustments</source>
        <translation>调整</translation>
    </message>
    <message>
        <source>closing balance</source>
        <translation>期末余额</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>%1: %2. Missing: %3.</source>
        <translation>%1：%2。缺少：%3。</translation>
    </message>
</context>
<context>
    <name>riskdesk::RejectDialog</name>
    <message>
        <source>Reject %1</source>
        <translation>驳回 %1</translation>
    </message>
    <message>
        <source>Rejection reason</source>
        <translation>驳回原因</translation>
    </message>
    <message>
        <source>e.g. The attachment does not explain the route through Nanjing.</source>
        <translation>例如：附件未能说明途经南京的原因。</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>驳回</translation>
    </message>
    <message>
        <source>A rejection needs a reason. Say what is missing or wrong.</source>
        <translation>驳回必须填写原因。请说明缺少什么或哪里有问题。</translation>
    </message>
    <message>
        <source>Ctrl+Return</source>
        <translation>Ctrl+Return</translation>
    </message>
    <message>
        <source>Why is %1 rejected? The applicant and the auditors will read this (at most %2 characters). Ctrl+Return rejects.</source>
        <translation>为什么驳回 %1？申请人和审计员都会看到这段说明（最多 %2 个字符）。按 Ctrl+Return 驳回。</translation>
    </message>
    <message>
        <source>The reason has %1 characters; at most %2 are allowed. Shorten it.</source>
        <translation>理由有 %1 个字符，最多允许 %2 个。请缩短。</translation>
    </message>
    <message>
        <source>Your earlier reason, not sent yet.</source>
        <translation>这是您之前写下、尚未提交的理由。</translation>
    </message>
    <message>
        <source>%1 of %2 characters</source>
        <translation>%1 / %2 字</translation>
    </message>
    <message>
        <source>The reason contains %1, which cannot be stored. Remove it.</source>
        <translation>理由中含有 %1，无法保存。请删除它。</translation>
    </message>
</context>
<context>
    <name>riskdesk::RenderRuleCommand</name>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Draws a risk rule&apos;s flow diagram.</source>
        <translation>绘制风险规则的流程图。</translation>
    </message>
    <message>
        <source>A rule payload: name, params, metadata, and optionally fields, severity, domain and flow_model.</source>
        <translation>规则载荷：name、params、metadata，可选 fields、severity、domain 和 flow_model。</translation>
    </message>
    <message>
        <source>Write the diagram as SVG.</source>
        <translation>将流程图写为 SVG。</translation>
    </message>
    <message>
        <source>Write the diagram as PNG.</source>
        <translation>将流程图写为 PNG。</translation>
    </message>
    <message>
        <source>PNG scale, from 0.25 to 8 (default 2).</source>
        <translation>PNG 缩放倍数，0.25 到 8（默认 2）。</translation>
    </message>
    <message>
        <source>Use the palette for dark backgrounds.</source>
        <translation>使用深色背景配色。</translation>
    </message>
    <message>
        <source>Print the built spec as JSON instead of drawing.</source>
        <translation>不绘图，以 JSON 输出构建的流程说明。</translation>
    </message>
    <message>
        <source>With --all: the workspace whose rules to render.</source>
        <translation>与 --all 同用：要绘制其规则的工作区。</translation>
    </message>
    <message>
        <source>Render every rule of the workspace (SVG and PNG) into --out.</source>
        <translation>将工作区的每条规则（SVG 和 PNG）绘制到 --out。</translation>
    </message>
    <message>
        <source>With --all: the folder to write into (made if missing).</source>
        <translation>与 --all 同用：写入的文件夹（不存在则创建）。</translation>
    </message>
    <message>
        <source>--scale must be a number from 0.25 to 8, not &quot;%1&quot;.</source>
        <translation>--scale 必须是 0.25 到 8 之间的数字，而不是“%1”。</translation>
    </message>
    <message>
        <source>--all needs --workspace PATH and --out DIR.</source>
        <translation>--all 需要 --workspace PATH 和 --out DIR。</translation>
    </message>
    <message>
        <source>There is no workspace at %1.</source>
        <translation>%1 处没有工作区。</translation>
    </message>
    <message>
        <source>Cannot make the folder %1.</source>
        <translation>无法创建文件夹 %1。</translation>
    </message>
    <message numerus="yes">
        <source>%n rule(s) rendered into %1.</source>
        <translation>
            <numerusform>已将 %n 条规则绘制到 %1。</numerusform>
        </translation>
    </message>
    <message>
        <source>Name one rule file: riskdesk render-rule RULE.json --svg OUT.svg</source>
        <translation>请指定一个规则文件：riskdesk render-rule RULE.json --svg OUT.svg</translation>
    </message>
    <message>
        <source>Say what to write: --svg OUT.svg, --png OUT.png, or --spec.</source>
        <translation>请指定输出：--svg OUT.svg、--png OUT.png 或 --spec。</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>one rule payload (a JSON object)</source>
        <translation>一个规则载荷（一个 JSON 对象）</translation>
    </message>
</context>
<context>
    <name>riskdesk::RequestService</name>
    <message>
        <source>%1 is %2 in tenant %3; only applicants and approvers file requests.</source>
        <translation>%1 在租户 %3 中是%2；只有申请人和审批人可以提交申请。</translation>
    </message>
    <message>
        <source>Give attachment_url or attach files, not both.</source>
        <translation>请给出 attachment_url 或附加文件，不能两者都给。</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) attached; a request takes at most %1.</source>
        <translation>
            <numerusform>附加了 %n 个文件；一条申请最多 %1 个。</numerusform>
        </translation>
    </message>
    <message>
        <source>Keeping the request&apos;s attachments</source>
        <translation>保存申请的附件</translation>
    </message>
    <message>
        <source>Reading the request&apos;s attachments</source>
        <translation>读取申请的附件</translation>
    </message>
</context>
<context>
    <name>riskdesk::RiskExceptionCodec</name>
    <message>
        <source>%1 must be an object.</source>
        <translation>%1 必须是对象。</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>target_type &quot;%1&quot; is not one of: %2.</source>
        <translation>target_type“%1”不在以下取值中：%2。</translation>
    </message>
    <message>
        <source>status &quot;%1&quot; is not one of: %2.</source>
        <translation>status“%1”不在以下取值中：%2。</translation>
    </message>
    <message>
        <source>approval_chain_log must be a list.</source>
        <translation>approval_chain_log 必须是列表。</translation>
    </message>
    <message>
        <source>%1 is missing.</source>
        <translation>缺少 %1。</translation>
    </message>
    <message>
        <source>%1 must be a string.</source>
        <translation>%1 必须是字符串。</translation>
    </message>
    <message>
        <source>%1 is not an ISO-8601 timestamp: &quot;%2&quot;.</source>
        <translation>%1 不是 ISO-8601 时间：“%2”。</translation>
    </message>
    <message>
        <source>%1 must be true or false.</source>
        <translation>%1 必须是 true 或 false。</translation>
    </message>
    <message>
        <source>%1 must be a whole number.</source>
        <translation>%1 必须是整数。</translation>
    </message>
    <message>
        <source>%1 must be a whole number from %2 to %3.</source>
        <translation>%1 必须是 %2 到 %3 之间的整数。</translation>
    </message>
</context>
<context>
    <name>riskdesk::RiskOpsBoard</name>
    <message>
        <source>the rate overflows</source>
        <translation>比率超出可计算范围</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>Auto-rejected</source>
        <translation>自动拒绝</translation>
    </message>
    <message>
        <source>Critical</source>
        <translation>极高风险</translation>
    </message>
    <message>
        <source>High</source>
        <translation>高风险</translation>
    </message>
    <message>
        <source>Medium</source>
        <translation>中风险</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>低风险</translation>
    </message>
    <message>
        <source>&lt; 4 h</source>
        <translation>&lt; 4 小时</translation>
    </message>
    <message>
        <source>4–24 h</source>
        <translation>4–24 小时</translation>
    </message>
    <message>
        <source>1–3 d</source>
        <translation>1–3 天</translation>
    </message>
    <message>
        <source>&gt; 3 d</source>
        <translation>&gt; 3 天</translation>
    </message>
    <message>
        <source>Reading the rule outcomes</source>
        <translation>读取规则命中结果</translation>
    </message>
    <message>
        <source>Exception</source>
        <translation>特例</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>严重级别</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>Reason category</source>
        <translation>原因分类</translation>
    </message>
    <message>
        <source>Applied</source>
        <translation>申请时间</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Final decision</source>
        <translation>最终决定</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>等待时长</translation>
    </message>
    <message>
        <source>Time to decision</source>
        <translation>决策时长</translation>
    </message>
    <message>
        <source>Exceptions</source>
        <translation>申请数</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>There is no cell &quot;%1&quot; to drill into; try Q1, Q3, Q5, Q6:approve, Q14:&lt;approver&gt;, Q17:&lt;rule&gt;, pending:&lt;YYYY-MM-DD&gt; or decisions:&lt;YYYY-MM-DD&gt;.</source>
        <translation>没有可下钻的单元格“%1”；可尝试 Q1、Q3、Q5、Q6:approve、Q14:&lt;审批人&gt;、Q17:&lt;规则&gt;、pending:&lt;YYYY-MM-DD&gt; 或 decisions:&lt;YYYY-MM-DD&gt;。</translation>
    </message>
    <message>
        <source>Rule outcomes must be backfilled first (riskdesk demo does it for the demo data).</source>
        <translation>需要先回放规则命中（riskdesk demo 会为演示数据完成回放）。</translation>
    </message>
    <message>
        <source>The risk-operations board has no text search; use its filters.</source>
        <translation>风控运营看板不支持文本搜索，请使用其筛选条件。</translation>
    </message>
    <message>
        <source>Risk operations: rows of %1</source>
        <translation>风控运营：%1 的明细</translation>
    </message>
    <message>
        <source>Exceptions of %1</source>
        <translation>%1 的特例</translation>
    </message>
    <message>
        <source>Log entries of %1</source>
        <translation>%1 的日志记录</translation>
    </message>
    <message>
        <source>Entry</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>步骤</translation>
    </message>
    <message>
        <source>Status after</source>
        <translation>操作后状态</translation>
    </message>
    <message>
        <source>At</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Step latency</source>
        <translation>步骤耗时</translation>
    </message>
    <message>
        <source>Entries</source>
        <translation>记录数</translation>
    </message>
    <message>
        <source>Rule outcomes of %1</source>
        <translation>%1 的规则命中结果</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>Occurred</source>
        <translation>发生时间</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Waived</source>
        <translation>已豁免</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>事件数</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Risk operations</source>
        <translation>风控运营看板</translation>
    </message>
    <message>
        <source>No SLA targets configured: defaults used (critical 4 h, high 8 h, medium 24 h, low 72 h)</source>
        <translation>未配置 SLA 目标：使用默认值（极高风险 4 小时、高风险 8 小时、中风险 24 小时、低风险 72 小时）</translation>
    </message>
    <message>
        <source>PoP at %1</source>
        <translation>环比 %1 时点</translation>
    </message>
    <message>
        <source>Pending now</source>
        <translation>待审</translation>
    </message>
    <message>
        <source>Queue age p50</source>
        <translation>队列时长 p50</translation>
    </message>
    <message>
        <source>Queue age p90</source>
        <translation>队列时长 p90</translation>
    </message>
    <message>
        <source>Queue age max</source>
        <translation>队列时长最大值</translation>
    </message>
    <message>
        <source>Pending past SLA</source>
        <translation>已超时待审</translation>
    </message>
    <message>
        <source>Expiring within 24 h</source>
        <translation>24 小时内到期</translation>
    </message>
    <message>
        <source>Intake</source>
        <translation>新增申请</translation>
    </message>
    <message>
        <source>Decisions</source>
        <translation>决定数</translation>
    </message>
    <message>
        <source>Decisions: approved</source>
        <translation>决定数：通过</translation>
    </message>
    <message>
        <source>Decisions: rejected</source>
        <translation>决定数：拒绝</translation>
    </message>
    <message>
        <source>Decisions: auto-rejected</source>
        <translation>决定数：自动拒绝</translation>
    </message>
    <message>
        <source>Approval rate</source>
        <translation>通过率</translation>
    </message>
    <message>
        <source>Manual approval rate</source>
        <translation>人工通过率</translation>
    </message>
    <message>
        <source>Auto-rejection rate</source>
        <translation>自动拒绝率</translation>
    </message>
    <message>
        <source>SLA met rate</source>
        <translation>SLA 达成率</translation>
    </message>
    <message>
        <source>Time to decision p50</source>
        <translation>决策时长 p50</translation>
    </message>
    <message>
        <source>Time to decision p90</source>
        <translation>决策时长 p90</translation>
    </message>
    <message>
        <source>Time to decision p50 (manual)</source>
        <translation>决策时长 p50（人工）</translation>
    </message>
    <message>
        <source>Time to decision p90 (manual)</source>
        <translation>决策时长 p90（人工）</translation>
    </message>
    <message>
        <source>Time to first action p50</source>
        <translation>首次处理时长 p50</translation>
    </message>
    <message>
        <source>Four-eyes compliance</source>
        <translation>双人复核合规</translation>
    </message>
    <message>
        <source>Integrity alarm: four-eyes compliance is below 100% (%1)</source>
        <translation>完整性告警：双人复核合规低于 100%（%1）</translation>
    </message>
    <message>
        <source>Rule hit rate</source>
        <translation>规则命中率</translation>
    </message>
    <message>
        <source>Supplement rate</source>
        <translation>补件率</translation>
    </message>
    <message>
        <source>Unreadable events</source>
        <translation>无法读取的事件</translation>
    </message>
    <message>
        <source>Waived hits</source>
        <translation>豁免放行</translation>
    </message>
    <message>
        <source>Waived amount</source>
        <translation>豁免放行金额</translation>
    </message>
    <message>
        <source>Exceptions per hit</source>
        <translation>申请/命中比</translation>
    </message>
    <message>
        <source>Engine assessments</source>
        <translation>引擎评估数</translation>
    </message>
    <message>
        <source>Mean risk score</source>
        <translation>平均风险分</translation>
    </message>
    <message>
        <source>Queue age at %1</source>
        <translation>%1 时点的队列时长</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>待审</translation>
    </message>
    <message>
        <source>SLA and time to decision by severity</source>
        <translation>按严重级别的 SLA 与决策时长</translation>
    </message>
    <message>
        <source>SLA target (min)</source>
        <translation>SLA 目标（分钟）</translation>
    </message>
    <message>
        <source>Met</source>
        <translation>达成</translation>
    </message>
    <message>
        <source>p50</source>
        <translation>p50</translation>
    </message>
    <message>
        <source>p90</source>
        <translation>p90</translation>
    </message>
    <message>
        <source>Time to decision by rule</source>
        <translation>按规则的决策时长</translation>
    </message>
    <message>
        <source>Four-eyes violations</source>
        <translation>双人复核违规</translation>
    </message>
    <message>
        <source>Approvers</source>
        <translation>审批人</translation>
    </message>
    <message>
        <source>High and critical approvals in the period: %1; with two distinct approvers: %2.</source>
        <translation>本期高风险和极高风险的通过数：%1；其中由两位不同审批人完成：%2。</translation>
    </message>
    <message>
        <source>Approver workload</source>
        <translation>审批人工作量</translation>
    </message>
    <message>
        <source>Approver</source>
        <translation>审批人</translation>
    </message>
    <message>
        <source>Actions</source>
        <translation>操作数</translation>
    </message>
    <message>
        <source>Final decisions</source>
        <translation>最终决定数</translation>
    </message>
    <message>
        <source>Step latency p50</source>
        <translation>步骤耗时 p50</translation>
    </message>
    <message>
        <source>%1 (you)</source>
        <translation>%1（您）</translation>
    </message>
    <message>
        <source>Rule outcomes by rule</source>
        <translation>按规则的命中结果</translation>
    </message>
    <message>
        <source>Hits</source>
        <translation>命中</translation>
    </message>
    <message>
        <source>Passes</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>Needs supplement</source>
        <translation>需补件</translation>
    </message>
    <message>
        <source>Unreadable</source>
        <translation>无法读取</translation>
    </message>
    <message>
        <source>Hit rate</source>
        <translation>命中率</translation>
    </message>
    <message>
        <source>Rule outcomes are events, not exceptions: the reason category and approver filters do not apply to them.</source>
        <translation>规则命中结果按事件统计，而非特例：原因分类和审批人筛选对其不适用。</translation>
    </message>
    <message>
        <source>Unreadable events (a field the rule needs was missing) are counted apart, never as passes.</source>
        <translation>无法读取的事件（缺少规则所需字段）单独计数，绝不计为通过。</translation>
    </message>
    <message>
        <source>Engine decisions</source>
        <translation>引擎决策分布</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>分组</translation>
    </message>
    <message>
        <source>Decision or level</source>
        <translation>决策或等级</translation>
    </message>
    <message>
        <source>Assessments</source>
        <translation>评估数</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>决策</translation>
    </message>
    <message>
        <source>Risk level</source>
        <translation>风险等级</translation>
    </message>
    <message>
        <source>Engine assessments belong to no exception: the board&apos;s filters do not apply to them.</source>
        <translation>引擎评估不属于任何特例：看板的筛选条件对其不适用。</translation>
    </message>
    <message>
        <source>Top reason categories</source>
        <translation>原因分类 Top</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>全部分类</translation>
    </message>
    <message>
        <source>Log integrity</source>
        <translation>日志完整性</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>日志</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Entries checked</source>
        <translation>已校验记录数</translation>
    </message>
    <message>
        <source>Checked at</source>
        <translation>校验时间</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>empty</source>
        <translation>空</translation>
    </message>
    <message>
        <source>intact</source>
        <translation>完好</translation>
    </message>
    <message>
        <source>broken</source>
        <translation>已损坏</translation>
    </message>
    <message>
        <source>This desktop&apos;s log</source>
        <translation>本机日志</translation>
    </message>
    <message>
        <source>Server log (last sync)</source>
        <translation>服务器日志（上次同步）</translation>
    </message>
    <message>
        <source>Integrity alarm: the approval log chain is broken (%1)</source>
        <translation>完整性告警：审批日志哈希链已断裂（%1）</translation>
    </message>
    <message>
        <source>Pending at the end of each day</source>
        <translation>每日日终待审数</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Decisions per day</source>
        <translation>每日决定数</translation>
    </message>
    <message>
        <source>Time to decision p50 per week</source>
        <translation>每周决策时长 p50</translation>
    </message>
    <message>
        <source>Week</source>
        <translation>周</translation>
    </message>
    <message>
        <source>Decisions by weekday and hour</source>
        <translation>审批决定时段分布（星期 × 小时）</translation>
    </message>
    <message>
        <source>Final decisions of the period; hours in UTC, as the board&apos;s days.</source>
        <translation>本期的最终决定；小时按 UTC 计，与看板的日期口径一致。</translation>
    </message>
    <message>
        <source>not verified</source>
        <translation>未校验</translation>
    </message>
    <message>
        <source>Not verified in this workspace yet: verify it on the approval log page or with riskdesk log verify.</source>
        <translation>此工作区尚未校验过该日志：请在审批日志页面或用 riskdesk log verify 进行校验。</translation>
    </message>
    <message>
        <source>The risk-operations board has fixed orders; --sort is available for its drill-downs only.</source>
        <translation>风控运营看板的排序是固定的；--sort 仅适用于其下钻明细。</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>This desktop</source>
        <translation>本机</translation>
    </message>
</context>
<context>
    <name>riskdesk::RiskOpsHistory</name>
    <message>
        <source>Reading the exception queue&apos;s history</source>
        <translation>读取特例队列的历史</translation>
    </message>
    <message>
        <source>--severity must be low, medium, high or critical, not &quot;%1&quot;.</source>
        <translation>--severity 必须是 low、medium、high 或 critical，而不是“%1”。</translation>
    </message>
    <message>
        <source>--target-type must be one of %1, not &quot;%2&quot;.</source>
        <translation>--target-type 必须是 %1 之一，而不是“%2”。</translation>
    </message>
    <message>
        <source>Tenant %1 has no rule &quot;%2&quot;.</source>
        <translation>租户 %1 没有规则“%2”。</translation>
    </message>
    <message>
        <source>Tenant %1 has no user &quot;%2&quot;.</source>
        <translation>租户 %1 没有用户“%2”。</translation>
    </message>
    <message>
        <source>The approval log has a step on an exception this workspace does not have.</source>
        <translation>审批日志中有一条步骤记录所属的特例在本工作区中不存在。</translation>
    </message>
    <message>
        <source>Reading the approval chains of the four-eyes violations</source>
        <translation>读取四眼原则违规项的审批链</translation>
    </message>
    <message>
        <source>Tenant %1 has no exception of the reason category &quot;%2&quot;; it has no exceptions yet.</source>
        <translation>租户 %1 没有原因类别为“%2”的特例；该租户尚无任何特例。</translation>
    </message>
    <message>
        <source>Tenant %1 has no exception of the reason category &quot;%2&quot;; its categories are: %3.</source>
        <translation>租户 %1 没有原因类别为“%2”的特例；现有类别为：%3。</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
</context>
<context>
    <name>riskdesk::RuleEvaluator</name>
    <message>
        <source>Rule &quot;%1&quot;: %2</source>
        <translation>规则“%1”：%2</translation>
    </message>
    <message>
        <source>Rule &quot;%1&quot;, condition %2: %3</source>
        <translation>规则“%1”，条件 %2：%3</translation>
    </message>
    <message>
        <source>the case has no field %1.</source>
        <translation>案例中没有字段 %1。</translation>
    </message>
    <message>
        <source>%1 lists no fields.</source>
        <translation>%1 未列出任何字段。</translation>
    </message>
    <message>
        <source>numeric_compare needs right_fields, or a numeric threshold or value.</source>
        <translation>numeric_compare 需要 right_fields，或数值型的 threshold 或 value。</translation>
    </message>
    <message>
        <source>unknown comparison &quot;%1&quot; (use gt, gte, lt, lte, eq or ne).</source>
        <translation>未知比较方式“%1”（可用 gt、gte、lt、lte、eq、ne）。</translation>
    </message>
    <message>
        <source>keywords lists no words.</source>
        <translation>keywords 未列出任何关键词。</translation>
    </message>
    <message>
        <source>the condition has no operator.</source>
        <translation>条件缺少 operator。</translation>
    </message>
    <message>
        <source>unknown operator &quot;%1&quot;.</source>
        <translation>未知运算符“%1”。</translation>
    </message>
    <message>
        <source>hit_logic has an empty %1 list.</source>
        <translation>hit_logic 的 %1 列表为空。</translation>
    </message>
    <message>
        <source>hit_logic must be a condition id, a list, or {all|any|not: …}.</source>
        <translation>hit_logic 必须是条件 ID、列表，或 {all|any|not: …}。</translation>
    </message>
    <message>
        <source>hit_logic &quot;%1&quot; ends too early.</source>
        <translation>hit_logic“%1”不完整。</translation>
    </message>
    <message>
        <source>hit_logic &quot;%1&quot; misses a closing parenthesis.</source>
        <translation>hit_logic“%1”缺少右括号。</translation>
    </message>
    <message>
        <source>hit_logic names &quot;%1&quot;, which is not a condition of this rule.</source>
        <translation>hit_logic 引用了“%1”，但它不是本规则的条件。</translation>
    </message>
    <message>
        <source>hit_logic &quot;%1&quot; has more after &quot;%2&quot;.</source>
        <translation>hit_logic“%1”在“%2”之后还有多余内容。</translation>
    </message>
    <message>
        <source>params.conditions must be a non-empty list.</source>
        <translation>params.conditions 必须是非空列表。</translation>
    </message>
    <message>
        <source>the condition is not an object.</source>
        <translation>条件不是对象。</translation>
    </message>
    <message>
        <source>two conditions have this id.</source>
        <translation>有两个条件使用了这个 ID。</translation>
    </message>
    <message>
        <source>a date or the range is empty</source>
        <translation>日期或范围为空</translation>
    </message>
    <message>
        <source>the range [%1, %2] is not made of dates.</source>
        <translation>范围 [%1, %2] 不是日期。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a date.</source>
        <translation>“%1”不是日期。</translation>
    </message>
    <message>
        <source>all of %1 in [%2, %3]</source>
        <translation>%1 全部在 [%2, %3] 内</translation>
    </message>
    <message>
        <source>%1 outside [%2, %3]</source>
        <translation>%1 不在 [%2, %3] 内</translation>
    </message>
    <message>
        <source>%1 is not a number</source>
        <translation>%1 不是数字</translation>
    </message>
    <message>
        <source>no value repeats</source>
        <translation>没有重复值</translation>
    </message>
    <message>
        <source>repeated: %1</source>
        <translation>重复：%1</translation>
    </message>
    <message>
        <source>none of %1 found</source>
        <translation>未出现 %1 中的任何词</translation>
    </message>
    <message>
        <source>found %1</source>
        <translation>出现 %1</translation>
    </message>
    <message>
        <source>present %1; absent %2</source>
        <translation>有值 %1；无值 %2</translation>
    </message>
    <message>
        <source>needs supplement: %1 is empty</source>
        <translation>需补充：%1 为空</translation>
    </message>
    <message>
        <source>; unexplained route cities %1</source>
        <translation>；无法解释的行程城市 %1</translation>
    </message>
    <message>
        <source>; the reason mentions %1 (evidence for the approver, not an automatic pass)</source>
        <translation>；事由提到 %1（作为审批依据，不自动放行）</translation>
    </message>
    <message>
        <source>hit_logic has an object with %1 keys; each {…} takes exactly one of all, any or not.</source>
        <translation>hit_logic 中有一个对象含 %1 个键；每个 {…} 只能恰好使用 all、any、not 之一。</translation>
    </message>
    <message>
        <source>hit_logic&apos;s not takes one condition id or one {…}, not a list; for NOT (C1 AND C2) write {&quot;not&quot;: {&quot;all&quot;: [&quot;C1&quot;, &quot;C2&quot;]}}.</source>
        <translation>hit_logic 的 not 只接受一个条件编号或一个 {…}，不接受列表；若要表示 NOT (C1 AND C2)，请写作 {&quot;not&quot;: {&quot;all&quot;: [&quot;C1&quot;, &quot;C2&quot;]}}。</translation>
    </message>
    <message>
        <source>hit_logic is empty: combine the conditions (e.g. &quot;C1 AND C2&quot;), or leave hit_logic out to require all of them.</source>
        <translation>hit_logic 为空：请写出条件的组合方式（例如 &quot;C1 AND C2&quot;），或者不写 hit_logic，表示所有条件都须成立。</translation>
    </message>
</context>
<context>
    <name>riskdesk::RuleLibraryPage</name>
    <message>
        <source>Rules</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>风险等级</translation>
    </message>
    <message>
        <source>Domain</source>
        <translation>业务域</translation>
    </message>
    <message numerus="yes">
        <source>%n rule(s) in %1</source>
        <translation>
            <numerusform>%1 共 %n 条规则</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 · %2 · %3</source>
        <translation>%1 · %2 · %3</translation>
    </message>
</context>
<context>
    <name>riskdesk::RuleOutcomeBackfill</name>
    <message>
        <source>Backfilling the rule outcomes of tenant %1</source>
        <translation>回填租户 %1 的规则命中结果</translation>
    </message>
</context>
<context>
    <name>riskdesk::RuleRecognizer</name>
    <message>
        <source>low risk</source>
        <translation>低风险</translation>
    </message>
    <message>
        <source>medium risk</source>
        <translation>中风险</translation>
    </message>
    <message>
        <source>high risk</source>
        <translation>高风险</translation>
    </message>
    <message>
        <source>critical risk</source>
        <translation>极高风险</translation>
    </message>
    <message>
        <source>risk</source>
        <translation>风险</translation>
    </message>
    <message>
        <source>Formula: A = ticket route cities ∪ hotel invoice city, B = declared destination ∪ item locations; if A or B is empty, ask for the missing information; if A and B do not meet and nothing explains it, or the ticket route has an extra city that neither the tickets&apos; start and end nor the declared destination explains, the destination mismatch / route anomaly risk is hit.</source>
        <translation>判断公式：A=交通票行程城市∪住宿发票城市，B=申报目的地∪明细发生地点；若A或B为空，则要求补充识别；若A与B无交集且无合理说明，或票据路线中存在无法由本次票据起终点和申报目的地解释的额外城市，则命中目的地不一致/中途周转异常风险。</translation>
    </message>
    <message>
        <source>Travel claim submitted, with transport tickets, hotel invoices or other attachments that name cities</source>
        <translation>差旅报销单据提交，并上传交通票据、住宿票据或其他可识别城市的附件</translation>
    </message>
    <message>
        <source>Read the declared destination, item locations, ticket route cities, hotel invoice city and the claim reason</source>
        <translation>读取申报目的地、明细发生地点、交通票行程城市、住宿发票城市和报销事由</translation>
    </message>
    <message>
        <source>Do the attachments&apos; cities cover the declared trip, and does the ticket route pass through a city that neither its start and end nor the declared destination explains?</source>
        <translation>附件城市是否覆盖申报行程，且票据路线是否出现无法由本次票据起终点和申报目的地解释的中转城市</translation>
    </message>
    <message>
        <source>The tickets&apos; cities cover the declared trip and the route has no unexplained city</source>
        <translation>票据城市覆盖申报行程，且未出现无法由本次票据起终点和申报目的地解释的额外城市</translation>
    </message>
    <message>
        <source>The ticket route has a destination mismatch or an extra transit city: %1 hit; ask for an explanation or send the claim back</source>
        <translation>票据路线存在目的地不一致或额外中转城市，命中%1并要求补充说明或退回修改</translation>
    </message>
    <message>
        <source>This is not a city-consistency rule: it needs the tickets&apos; cities, the declared place, and a relation between them or a route anomaly.</source>
        <translation>这不是城市一致性规则：需要包含票据城市、申报地点，以及两者的对应关系或行程异常。</translation>
    </message>
    <message>
        <source>This is a question, not a rule: state when the risk is hit, e.g. &quot;出差城市与行程城市不一致&quot;.</source>
        <translation>这是一个问句，不是规则：请说明何时命中风险，例如「出差城市与行程城市不一致」。</translation>
    </message>
    <message>
        <source>The comparison is negated (&quot;%1&quot;): state when the risk is hit, e.g. &quot;出差城市与行程城市不一致&quot;.</source>
        <translation>比较被否定了（「%1」）：请直接说明何时命中风险，例如「出差城市与行程城市不一致」。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is compared with itself: name two different places, e.g. &quot;出差城市与行程城市不一致&quot;.</source>
        <translation>「%1」在与自身比较：请写出两个不同的地点，例如「出差城市与行程城市不一致」。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is a condition this recogniser does not understand: only the cities would be compared and it would be dropped. Leave it out, or write the rule&apos;s conditions out in a rule file.</source>
        <translation>「%1」是识别器无法理解的条件：生成的规则只会比较城市，这一条件会被丢掉。请删去它，或在规则文件中逐条写出规则的条件。</translation>
    </message>
</context>
<context>
    <name>riskdesk::RulesCommand</name>
    <message>
        <source>Evaluates a rule against case records, one JSON object per line.</source>
        <translation>用规则评估案例记录，每行一个 JSON 对象。</translation>
    </message>
    <message>
        <source>The rule payload (name, params with conditions and hit_logic).</source>
        <translation>规则内容（name，以及含 conditions 和 hit_logic 的 params）。</translation>
    </message>
    <message>
        <source>Case records, one JSON object per line (- for standard input).</source>
        <translation>案例记录，每行一个 JSON 对象（- 表示标准输入）。</translation>
    </message>
    <message>
        <source>rules eval needs --rule RULE.json and --cases CASES.jsonl.</source>
        <translation>rules eval 需要 --rule 规则.json 和 --cases 案例.jsonl。</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>Recognises a travel-route city-consistency rule from its text.</source>
        <translation>从文字中识别差旅行程城市一致性规则。</translation>
    </message>
    <message>
        <source>low, medium, high or critical (default: high).</source>
        <translation>low、medium、high 或 critical（默认 high）。</translation>
    </message>
    <message>
        <source>Give the rule&apos;s text, e.g.: riskdesk rules recognize &quot;交通票行程城市与申报目的地不一致&quot;</source>
        <translation>请给出规则原文，例如：riskdesk rules recognize &quot;交通票行程城市与申报目的地不一致&quot;</translation>
    </message>
    <message>
        <source>--risk-level must be low, medium, high or critical, not &quot;%1&quot;.</source>
        <translation>--risk-level 必须是 low、medium、high 或 critical，而不是“%1”。</translation>
    </message>
    <message>
        <source>The rule as a person wrote it (in quotes when it has spaces).</source>
        <translation>按人工书写的规则原文（含空格时请加引号）。</translation>
    </message>
    <message>
        <source>Line %1 must be one case record (a JSON object).</source>
        <translation>第 %1 行必须是一条案例记录（JSON 对象）。</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Line %1: %2</source>
        <translation>第 %1 行：%2</translation>
    </message>
    <message>
        <source>one rule payload (a JSON object)</source>
        <translation>一个规则载荷（一个 JSON 对象）</translation>
    </message>
    <message>
        <source>Line %1 is not valid JSON: %2 near column %3.</source>
        <translation>第 %1 行不是有效的 JSON：第 %3 列附近%2。</translation>
    </message>
</context>
<context>
    <name>riskdesk::SaveFileDialog</name>
    <message>
        <source>%1 already exists. Replace it?</source>
        <translation>%1 已存在。要替换它吗？</translation>
    </message>
    <message>
        <source>%1 ends in .%2, but this export writes a .%3 file: name it %4.</source>
        <translation>%1 的扩展名是 .%2，但此导出写出的是 .%3 文件：请将其命名为 %4。</translation>
    </message>
    <message>
        <source>“%1” cannot be a file name here: quotation marks, * and ? are read as a list of names or a pattern, not as part of one name. Name the file without them.</source>
        <translation>“%1”不能用作文件名：引号、* 和 ? 会被当作多个文件名或匹配模式，而不是文件名的一部分。请去掉这些字符后再命名。</translation>
    </message>
</context>
<context>
    <name>riskdesk::ScoreCommand</name>
    <message>
        <source>Assesses transactions: one JSON request per input line.</source>
        <translation>评估交易：每行输入一个 JSON 请求。</translation>
    </message>
    <message>
        <source>JSON Lines file of requests (- for standard input).</source>
        <translation>请求的 JSON Lines 文件（- 表示标准输入）。</translation>
    </message>
    <message>
        <source>Where to write the responses (default: standard output).</source>
        <translation>响应写入位置（默认：标准输出）。</translation>
    </message>
    <message>
        <source>A policy file (default: the tenant&apos;s, or the reference policy).</source>
        <translation>策略文件（默认：租户策略，或参考策略）。</translation>
    </message>
    <message>
        <source>Rows &quot;user,ID&quot; or &quot;merchant,ID&quot; to refuse.</source>
        <translation>要拒绝的名单，每行“user,ID”或“merchant,ID”。</translation>
    </message>
    <message>
        <source>Keep the ledger and the assessment log in this workspace.</source>
        <translation>将频率台账和评估日志保存在此工作区。</translation>
    </message>
    <message>
        <source>The tenant whose ledger and policy to use (default: default).</source>
        <translation>使用哪个租户的台账与策略（默认：default）。</translation>
    </message>
    <message>
        <source>--input REQUESTS.jsonl is required.</source>
        <translation>必须提供 --input 请求.jsonl。</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Cannot write to standard output.</source>
        <translation>无法写入标准输出。</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Line %1: %2</source>
        <translation>第 %1 行：%2</translation>
    </message>
    <message numerus="yes">
        <source>riskdesk: %n line(s) could not be assessed; see their error lines.</source>
        <translation>
            <numerusform>riskdesk：%n 行无法评估；请查看对应的错误行。</numerusform>
        </translation>
    </message>
    <message>
        <source>--tenant needs --workspace PATH: without a workspace nothing is kept per tenant.</source>
        <translation>--tenant 需要配合 --workspace 路径使用：没有工作区时不会按租户保存任何内容。</translation>
    </message>
    <message>
        <source>This workspace has no tenant &quot;%1&quot;; it has no tenants at all, so leave --tenant out.</source>
        <translation>此工作区中没有租户“%1”；它没有任何租户，请不要指定 --tenant。</translation>
    </message>
    <message>
        <source>There is no tenant &quot;%1&quot; in this workspace (tenants: %2).</source>
        <translation>此工作区中没有租户“%1”（现有租户：%2）。</translation>
    </message>
    <message>
        <source>Say whose assessments these are: --tenant T (tenants: %1).</source>
        <translation>请用 --tenant 指明这些评估属于哪个租户（现有租户：%1）。</translation>
    </message>
    <message>
        <source>a request must be a JSON object {…}, not an array or a value.</source>
        <translation>请求必须是 JSON 对象 {…}，不能是数组或单个值。</translation>
    </message>
    <message>
        <source>There is no workspace at %1. Make an empty one for the ledger with: riskdesk workspace create --workspace %1</source>
        <translation>%1 处没有工作区。可用以下命令为台账新建空工作区：riskdesk workspace create --workspace %1</translation>
    </message>
    <message>
        <source>one policy (a JSON object)</source>
        <translation>一个策略（一个 JSON 对象）</translation>
    </message>
    <message>
        <source>not valid JSON: %1 near column %2.</source>
        <translation>不是有效的 JSON：第 %2 列附近%1。</translation>
    </message>
    <message>
        <source>%1 holds no requests (one JSON object per line), so nothing was assessed.</source>
        <translation>%1 中没有任何请求（每行一个 JSON 对象），因此未做任何评估。</translation>
    </message>
</context>
<context>
    <name>riskdesk::SectionOutcome</name>
    <message>
        <source>Part of the data is unavailable (retry)</source>
        <translation>部分数据暂不可用（重试）</translation>
    </message>
    <message>
        <source>This section could not be loaded: %1 (retry)</source>
        <translation>本区块加载失败：%1（重试）</translation>
    </message>
    <message>
        <source>No data: %1</source>
        <translation>无数据：%1</translation>
    </message>
</context>
<context>
    <name>riskdesk::ServerAdmin</name>
    <message>
        <source>The server migration %1 is missing from this build.</source>
        <translation>此版本缺少服务器迁移 %1。</translation>
    </message>
    <message>
        <source>Server migration %1: %2</source>
        <translation>服务器迁移 %1：%2</translation>
    </message>
    <message>
        <source>Reading the workspace&apos;s tenants</source>
        <translation>读取工作区的租户</translation>
    </message>
    <message>
        <source>Reading the workspace&apos;s rules</source>
        <translation>读取工作区的规则</translation>
    </message>
    <message>
        <source>Reading the workspace&apos;s exceptions</source>
        <translation>读取工作区的特例</translation>
    </message>
    <message>
        <source>unknown (%1)</source>
        <translation>未知（%1）</translation>
    </message>
    <message>
        <source>%1 (pid %2, %3)</source>
        <translation>%1（进程 %2，%3）</translation>
    </message>
    <message>
        <source>none any more (they have finished since)</source>
        <translation>现已没有（这些会话已结束）</translation>
    </message>
    <message>
        <source>Server migration %1 waited %2 s for tables in use and was rolled back; nothing changed. Sessions holding them: %3. Ask these users to close Riskdesk (or end the sessions with pg_terminate_backend) and migrate again.</source>
        <translation>服务器迁移 %1 等待被占用的表 %2 秒后已回滚，未作任何更改。占用这些表的会话：%3。请让这些用户关闭 Riskdesk（或用 pg_terminate_backend 结束这些会话），然后重新迁移。</translation>
    </message>
    <message>
        <source>Reading the workspace&apos;s request files</source>
        <translation>读取工作区中的申请文件</translation>
    </message>
    <message>
        <source>Reading the workspace&apos;s SLA policy</source>
        <translation>读取工作区的 SLA 策略</translation>
    </message>
    <message>
        <source>Reading the workspace&apos;s leads</source>
        <translation>读取工作区的主管名单</translation>
    </message>
</context>
<context>
    <name>riskdesk::ServerCommand</name>
    <message>
        <source>The server, postgresql://user:password@host:port/database (default: $RISKDESK_URL).</source>
        <translation>服务器地址，postgresql://用户:密码@主机:端口/数据库（默认：$RISKDESK_URL）。</translation>
    </message>
    <message>
        <source>Applies the server&apos;s schema migrations (as the owner role).</source>
        <translation>（以所有者角色）应用服务器的结构迁移。</translation>
    </message>
    <message>
        <source>applicant, approver, auditor or finance.</source>
        <translation>applicant、approver、auditor 或 finance。</translation>
    </message>
    <message>
        <source>The tenant the user works in (made if missing).</source>
        <translation>用户所在的租户（不存在则创建）。</translation>
    </message>
    <message>
        <source>The user&apos;s id in the tenant (default: the login name).</source>
        <translation>用户在租户中的 ID（默认：登录名）。</translation>
    </message>
    <message>
        <source>The login role to create.</source>
        <translation>要创建的登录角色。</translation>
    </message>
    <message>
        <source>Creates a login role for one user and tenant. The password comes from $RISKDESK_NEW_PASSWORD, or is generated and printed once.</source>
        <translation>为一个用户和租户创建登录角色。密码取自 $RISKDESK_NEW_PASSWORD，否则自动生成并只显示一次。</translation>
    </message>
    <message>
        <source>The workspace whose tenants, rules and exceptions to copy.</source>
        <translation>要复制其租户、规则和特例的工作区。</translation>
    </message>
    <message>
        <source>Copies a workspace&apos;s tenants, rules and exceptions to an empty server.</source>
        <translation>将工作区的租户、规则和特例复制到空服务器。</translation>
    </message>
    <message>
        <source>Unknown command &quot;db %1&quot;; available: db migrate, db add-user, db seed.</source>
        <translation>未知命令“db %1”；可用：db migrate、db add-user、db seed。</translation>
    </message>
    <message>
        <source>--url URL (or RISKDESK_URL) is required.</source>
        <translation>需要 --url URL（或 RISKDESK_URL）。</translation>
    </message>
    <message numerus="yes">
        <source>%n migration(s) applied; the server schema is at version %1.</source>
        <translation>
            <numerusform>已应用 %n 个迁移；服务器结构版本为 %1。</numerusform>
        </translation>
    </message>
    <message>
        <source>Use: riskdesk db add-user --url URL NAME --role applicant|approver|auditor|finance --tenant T</source>
        <translation>用法：riskdesk db add-user --url URL NAME --role applicant|approver|auditor|finance --tenant T</translation>
    </message>
    <message>
        <source>%1 is %2 %3 in tenant %4.</source>
        <translation>%1 是租户 %4 中的%2 %3。</translation>
    </message>
    <message>
        <source>--workspace PATH must name an existing workspace.</source>
        <translation>--workspace PATH 必须是已存在的工作区。</translation>
    </message>
    <message numerus="yes">
        <source>%n exception(s) copied to the server in %1 s.</source>
        <translation>
            <numerusform>已在 %1 秒内将 %n 条特例复制到服务器。</numerusform>
        </translation>
    </message>
    <message>
        <source>The workspace to sync.</source>
        <translation>要同步的工作区。</translation>
    </message>
    <message>
        <source>Push and pull once, then stop (default: keep syncing, woken by the server).</source>
        <translation>推送和拉取一次后停止（默认：持续同步，由服务器唤醒）。</translation>
    </message>
    <message>
        <source>Pushes this workspace&apos;s decisions and pulls the server&apos;s changes.</source>
        <translation>推送此工作区的决定并拉取服务器的变更。</translation>
    </message>
    <message>
        <source>--workspace PATH is required.</source>
        <translation>必须提供 --workspace 路径。</translation>
    </message>
    <message>
        <source>Offline: %1; retrying in %2 s.</source>
        <translation>离线：%1；%2 秒后重试。</translation>
    </message>
    <message>
        <source>  %1 rows pulled</source>
        <translation>  已拉取 %1 行</translation>
    </message>
    <message>
        <source>Pushed %1, refused %2, conflicts %3; pulled %4 in %5 s.</source>
        <translation>推送 %1，拒绝 %2，冲突 %3；%5 秒内拉取 %4。</translation>
    </message>
    <message>
        <source>This server login sees no tenant &quot;%1&quot; (it sees: %2).</source>
        <translation>此服务器登录看不到租户“%1”（可见：%2）。</translation>
    </message>
    <message>
        <source>%1 (server): %2</source>
        <translation>%1（服务器）：%2</translation>
    </message>
    <message>
        <source>The user&apos;s name as people read it (default: the user id).</source>
        <translation>用户的显示名称（默认：用户 ID）。</translation>
    </message>
    <message>
        <source>  building the search index: %1%</source>
        <translation>  正在构建搜索索引：%1%</translation>
    </message>
    <message>
        <source>Indexes and search index built in %1 s.</source>
        <translation>索引与搜索索引已构建完成，用时 %1 秒。</translation>
    </message>
    <message numerus="yes">
        <source>  building indexes: %n left</source>
        <translation>
            <numerusform>  正在构建索引：剩余 %n 个</numerusform>
        </translation>
    </message>
    <message>
        <source>A site of the tenant whose board data a finance user may read (repeatable).</source>
        <translation>财务用户可查看其看板数据的租户门店（可重复指定）。</translation>
    </message>
    <message>
        <source>--site grants board data, which only finance users read.</source>
        <translation>--site 授予的是看板数据，只有财务用户可以查看。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a site id (1 to 128 characters, no spaces).</source>
        <translation>“%1”不是有效的门店 ID（1 到 128 个字符，不含空白）。</translation>
    </message>
    <message>
        <source>%1 may read the board data of site(s) %2.</source>
        <translation>%1 可查看门店 %2 的看板数据。</translation>
    </message>
    <message numerus="yes">
        <source>Board data: %n partition(s) and %1 tenant-wide dataset(s) replaced, %2 rows.</source>
        <translation>
            <numerusform>看板数据：已替换 %n 个分区和 %1 个租户级数据集，共 %2 行。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) wait in the outbox; the lines above say for whom.</source>
        <translation>
            <numerusform>%n 项更改在待发队列中等待；上面各行说明了在等谁。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>riskdesk::ServerLog</name>
    <message>
        <source>The server has no identity; run riskdesk db migrate.</source>
        <translation>服务器没有标识；请运行 riskdesk db migrate。</translation>
    </message>
</context>
<context>
    <name>riskdesk::ServiceLogSummaries</name>
    <message>
        <source>Summarising the service logs</source>
        <translation>汇总服务流水</translation>
    </message>
    <message>
        <source>Checking the service-log summaries</source>
        <translation>核对服务流水汇总表</translation>
    </message>
</context>
<context>
    <name>riskdesk::ShareRounding</name>
    <message>
        <source>Row %1 is negative (%2); shares need parts of zero or more.</source>
        <translation>第 %1 行为负数（%2）；计算占比要求各部分不小于 0。</translation>
    </message>
    <message>
        <source>The parts are too large to add up exactly.</source>
        <translation>各部分数值过大，无法精确相加。</translation>
    </message>
    <message>
        <source>The parts add up to zero, so they have no shares.</source>
        <translation>各部分合计为 0，无法计算占比。</translation>
    </message>
    <message>
        <source>A share of %1 cannot be divided.</source>
        <translation>份额 %1 无法分配。</translation>
    </message>
</context>
<context>
    <name>riskdesk::SignInDialog</name>
    <message>
        <source>Sign in to Riskdesk</source>
        <translation>登录 Riskdesk</translation>
    </message>
    <message>
        <source>Who is working? Pick yourself and the tenant to work in.</source>
        <translation>请选择您本人以及要进入的租户。</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>%1 (%2) — %3 in %4</source>
        <translation>%1（%2）—— %4 的%3</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
</context>
<context>
    <name>riskdesk::SiteClock</name>
    <message>
        <source>The time zone &quot;%1&quot; is not known; use an IANA name such as Asia/Shanghai.</source>
        <translation>未知时区“%1”，请使用 IANA 名称，例如 Asia/Shanghai。</translation>
    </message>
    <message>
        <source>The business-day cut-off must be a time from 00:00 to 23:59, not %1 minutes.</source>
        <translation>营业日切换时间须在 00:00 到 23:59 之间，而不是 %1 分钟。</translation>
    </message>
    <message>
        <source>No business day configured; calendar days used</source>
        <translation>营业日未配置，按自然日</translation>
    </message>
</context>
<context>
    <name>riskdesk::SiteDataStart</name>
    <message>
        <source>%1: &quot;%2&quot; is not a day.</source>
        <translation>%1：“%2”不是日期。</translation>
    </message>
    <message>
        <source>Reading the first day of the site&apos;s data</source>
        <translation>读取门店数据的起始日</translation>
    </message>
    <message>
        <source>Reading the first day of the site&apos;s service logs</source>
        <translation>读取门店服务流水的起始日</translation>
    </message>
</context>
<context>
    <name>riskdesk::SkillBoard</name>
    <message>
        <source>Reading the skill types</source>
        <translation>读取技能类型</translation>
    </message>
    <message>
        <source>Reading the service logs&apos; skill names</source>
        <translation>读取服务记录中的技能名称</translation>
    </message>
    <message>
        <source>Not configured (%1)</source>
        <translation>未配置 (%1)</translation>
    </message>
    <message>
        <source>Skill types</source>
        <translation>技能类型</translation>
    </message>
    <message>
        <source>Skill filter of the coach board</source>
        <translation>助教看板的技能筛选</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Skill</source>
        <translation>技能</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>排序</translation>
    </message>
    <message>
        <source>Defined for</source>
        <translation>适用范围</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>this site</source>
        <translation>本门店</translation>
    </message>
    <message>
        <source>every site</source>
        <translation>所有门店</translation>
    </message>
    <message>
        <source>Disabled (not offered, still counted under All): %1</source>
        <translation>已停用（不在筛选项中，仍计入“全部”）：%1</translation>
    </message>
    <message>
        <source>Skill names in the service logs with no skill type</source>
        <translation>服务记录中未配置技能类型的技能名称</translation>
    </message>
    <message>
        <source>Service logs</source>
        <translation>服务记录数</translation>
    </message>
</context>
<context>
    <name>riskdesk::SlaTarget</name>
    <message numerus="yes">
        <source>%n d</source>
        <translation>
            <numerusform>%n 天</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h</source>
        <translation>
            <numerusform>%n 小时</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n min</source>
        <translation>
            <numerusform>%n 分钟</numerusform>
        </translation>
    </message>
    <message>
        <source>past SLA (%1)</source>
        <translation>已超 SLA（%1）</translation>
    </message>
</context>
<context>
    <name>riskdesk::SortCatalog</name>
    <message>
        <source>&quot;%1&quot; is not a plain column name.</source>
        <translation>“%1”不是普通的列名。</translation>
    </message>
    <message>
        <source>The sort key &quot;%1&quot; is empty or repeated.</source>
        <translation>排序键“%1”为空或重复。</translation>
    </message>
    <message>
        <source>The default sort key &quot;%1&quot; is not in the list.</source>
        <translation>默认排序键“%1”不在列表中。</translation>
    </message>
</context>
<context>
    <name>riskdesk::SyncEngine</name>
    <message>
        <source>Taking the server&apos;s state</source>
        <translation>采用服务器的状态</translation>
    </message>
    <message>
        <source>Reading the outbox</source>
        <translation>读取待发队列</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>%1: conflict, %2 decided first (%3 at %4); yours was not applied.</source>
        <translation>%1：冲突，%2 已先作出决定（%4 %3）；您的决定未被采用。</translation>
    </message>
    <message>
        <source>%1: the server refused it: %2</source>
        <translation>%1：服务器拒绝：%2</translation>
    </message>
    <message>
        <source>Recording the server&apos;s answer</source>
        <translation>记录服务器的答复</translation>
    </message>
    <message>
        <source>The server has no identity; run riskdesk db migrate.</source>
        <translation>服务器没有标识；请运行 riskdesk db migrate。</translation>
    </message>
    <message>
        <source>Storing the server&apos;s directory</source>
        <translation>保存服务器的目录数据</translation>
    </message>
    <message>
        <source>Storing the server&apos;s exceptions</source>
        <translation>保存服务器的特例</translation>
    </message>
    <message>
        <source>Keeping the sync cursor</source>
        <translation>保存同步游标</translation>
    </message>
    <message>
        <source>The server sent an exception row this version cannot read.</source>
        <translation>服务器发来了本版本无法读取的特例记录行。</translation>
    </message>
    <message>
        <source>Reading the copy of the server&apos;s log</source>
        <translation>读取服务器日志的本机副本</translation>
    </message>
    <message>
        <source>Clearing the copy of the server&apos;s log</source>
        <translation>清除服务器日志的本机副本</translation>
    </message>
    <message>
        <source>Reading the workspace</source>
        <translation>读取工作区</translation>
    </message>
    <message>
        <source>%1: not sent; the server applies the end of a validity window itself.</source>
        <translation>%1：未发送；有效期结束由服务器自行处理。</translation>
    </message>
    <message>
        <source>The server answered %1 of %2 decisions sent together.</source>
        <translation>服务器只答复了一并发送的 %2 项决定中的 %1 项。</translation>
    </message>
    <message>
        <source>The sync was stopped before it finished; it goes on at the next start.</source>
        <translation>同步在完成前被停止；下次启动时会继续。</translation>
    </message>
    <message>
        <source>%1: the server refused the request: %2</source>
        <translation>%1：服务器拒绝了该申请：%2</translation>
    </message>
</context>
<context>
    <name>riskdesk::SyncLogin</name>
    <message>
        <source>%1: waits behind an earlier change to it that this server login cannot send.</source>
        <translation>%1：排在此服务器登录无法发送的一项更早更改之后，等待中。</translation>
    </message>
    <message>
        <source>%1: waits; this server login is not a member of tenant %2.</source>
        <translation>%1：等待中；此服务器登录不是租户 %2 的成员。</translation>
    </message>
    <message>
        <source>%1: made here by %2, but this server login is %3; the server takes changes only from the person who made them, so it waits until %2 syncs with their own login.</source>
        <translation>%1：由 %2 在本机所做，但此服务器登录是 %3；服务器只接受本人所做的更改，因此将等待 %2 用自己的登录同步。</translation>
    </message>
</context>
<context>
    <name>riskdesk::SyncService</name>
    <message>
        <source>The connection to the server was lost.</source>
        <translation>与服务器的连接已断开。</translation>
    </message>
    <message>
        <source>Offline: the server&apos;s log can be verified once the server is reachable.</source>
        <translation>离线：服务器可连接后才能校验其日志。</translation>
    </message>
</context>
<context>
    <name>riskdesk::SystemComment</name>
    <message>
        <source>The validity window ended before a decision was made.</source>
        <translation>有效期在作出决定前已结束。</translation>
    </message>
    <message>
        <source>The waiver&apos;s validity window ended.</source>
        <translation>豁免有效期已结束。</translation>
    </message>
    <message>
        <source>The validity window ended on %1 before a decision was made.</source>
        <translation>有效期已于 %1 结束，期间未作出决定。</translation>
    </message>
    <message>
        <source>The waiver&apos;s validity window ended on %1.</source>
        <translation>豁免有效期已于 %1 结束。</translation>
    </message>
    <message>
        <source>Riskdesk (automatic)</source>
        <translation>Riskdesk（自动）</translation>
    </message>
</context>
<context>
    <name>riskdesk::TargetEventBlockCodec</name>
    <message>
        <source>The workspace file is damaged (a stored block of a target&apos;s events %1). Nothing was changed. Restore the file from a backup, or create a new workspace and sync it from the server.</source>
        <translation>工作区文件已损坏（目标事件的一个存储数据块%1）。未做任何更改。请从备份恢复该文件，或新建工作区并从服务器同步。</translation>
    </message>
    <message>
        <source>is empty</source>
        <translation>为空</translation>
    </message>
    <message>
        <source>has format version %1; this Riskdesk reads version %2</source>
        <translation>的格式版本为 %1，而此版本的 Riskdesk 只能读取版本 %2</translation>
    </message>
    <message>
        <source>claims more events than it holds</source>
        <translation>声明的事件数多于其实际包含的事件</translation>
    </message>
    <message>
        <source>claims more texts than it holds</source>
        <translation>声明的文本数多于其实际包含的文本</translation>
    </message>
    <message>
        <source>ends inside its texts</source>
        <translation>在文本部分中途结束</translation>
    </message>
    <message>
        <source>claims more value lists than it holds</source>
        <translation>声明的取值列表数多于其实际包含的列表</translation>
    </message>
    <message>
        <source>ends inside its value lists</source>
        <translation>在取值列表部分中途结束</translation>
    </message>
    <message>
        <source>names a text it does not hold</source>
        <translation>引用了其中不存在的文本</translation>
    </message>
    <message>
        <source>ends inside event %1</source>
        <translation>在第 %1 个事件中途结束</translation>
    </message>
    <message>
        <source>has unknown flags on event %1</source>
        <translation>的第 %1 个事件带有未知标志</translation>
    </message>
    <message>
        <source>ends inside the assessment of event %1</source>
        <translation>在第 %1 个事件的评估结果中途结束</translation>
    </message>
    <message>
        <source>ends inside the facts of event %1</source>
        <translation>在第 %1 个事件的字段记录中途结束</translation>
    </message>
    <message>
        <source>has the facts of event %1 out of order</source>
        <translation>中第 %1 个事件的字段顺序错乱</translation>
    </message>
    <message>
        <source>goes on after its last event (%1 more bytes)</source>
        <translation>在最后一个事件之后仍有数据（多出 %1 字节）</translation>
    </message>
    <message>
        <source>keeps a number that is not its text&apos;s</source>
        <translation>中保存的数值与其文本不符</translation>
    </message>
</context>
<context>
    <name>riskdesk::TargetHistoryStore</name>
    <message>
        <source>Reading the target&apos;s history</source>
        <translation>读取目标的历史记录</translation>
    </message>
    <message>
        <source>Reading the target&apos;s latest assessment</source>
        <translation>读取目标的最近评估</translation>
    </message>
    <message>
        <source>Recording the target&apos;s history</source>
        <translation>记录目标的历史记录</translation>
    </message>
    <message>
        <source>could not be read to its end</source>
        <translation>无法完整读取</translation>
    </message>
    <message>
        <source>holds %1 events where its row says %2</source>
        <translation>包含 %1 个事件，但其记录行标明为 %2 个</translation>
    </message>
    <message>
        <source>is out of order at event %1</source>
        <translation>在事件 %1 处顺序错乱</translation>
    </message>
    <message>
        <source>Reading the targets&apos; histories</source>
        <translation>读取各目标的历史记录</translation>
    </message>
    <message>
        <source>lacks block %1 of the target&apos;s history</source>
        <translation>缺少该目标历史的第 %1 块</translation>
    </message>
    <message>
        <source>does not end with the target&apos;s last stored event</source>
        <translation>未以该目标最后存储的事件结尾</translation>
    </message>
</context>
<context>
    <name>riskdesk::TargetRiskReader</name>
    <message>
        <source>The rule %1 is not in this workspace, so nothing can be replayed.</source>
        <translation>规则 %1 不在此工作区中，无法回放。</translation>
    </message>
</context>
<context>
    <name>riskdesk::TextRules</name>
    <message>
        <source>U+%1 at character %2</source>
        <translation>第 %2 个字符 U+%1</translation>
    </message>
</context>
<context>
    <name>riskdesk::WeekdayHourTable</name>
    <message>
        <source>Weekday</source>
        <translation>星期</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
</context>
<context>
    <name>riskdesk::Workspace</name>
    <message>
        <source>Cannot create the folder %1 for the workspace.</source>
        <translation>无法为工作区创建文件夹 %1。</translation>
    </message>
    <message>
        <source>%1 is not a workspace file.</source>
        <translation>%1 不是工作区文件。</translation>
    </message>
    <message>
        <source>Cannot open the workspace %1: %2</source>
        <translation>无法打开工作区 %1：%2</translation>
    </message>
    <message>
        <source>%1 is not a usable workspace (%2).</source>
        <translation>%1 不是可用的工作区（%2）。</translation>
    </message>
    <message>
        <source>%1 is not a Riskdesk workspace.</source>
        <translation>%1 不是 Riskdesk 工作区。</translation>
    </message>
    <message>
        <source>%1 was written by a newer Riskdesk (schema %2; this version knows up to %3).</source>
        <translation>%1 由更新版本的 Riskdesk 写入（结构版本 %2；本版本最高支持 %3）。</translation>
    </message>
    <message>
        <source>Cannot lock %1 to upgrade it: %2</source>
        <translation>无法锁定 %1 以进行升级：%2</translation>
    </message>
    <message>
        <source>Upgrading the workspace to schema %1 failed: %2</source>
        <translation>将工作区升级到结构版本 %1 失败：%2</translation>
    </message>
    <message>
        <source>Cannot commit the schema upgrade: %1</source>
        <translation>无法提交结构升级：%1</translation>
    </message>
    <message>
        <source>Queueing the decision for sync</source>
        <translation>将决定加入同步队列</translation>
    </message>
    <message>
        <source>Counting queued changes</source>
        <translation>统计待同步的变更</translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation>%1失败：%2</translation>
    </message>
    <message>
        <source>The schema script %1 is missing from this build.</source>
        <translation>此版本缺少结构脚本 %1。</translation>
    </message>
    <message>
        <source>The workspace file is damaged (%1 failed: %2). Nothing was changed. Restore the file from a backup, or create a new workspace and sync it from the server.</source>
        <translation>工作区文件已损坏（%1失败：%2）。未做任何更改。请从备份恢复该文件，或新建工作区并从服务器同步。</translation>
    </message>
    <message>
        <source>Opening the workspace</source>
        <translation>打开工作区</translation>
    </message>
    <message>
        <source>Checking the workspace</source>
        <translation>检查工作区</translation>
    </message>
    <message>
        <source>Reading the workspace</source>
        <translation>读取工作区</translation>
    </message>
    <message>
        <source>%1 was written by an older Riskdesk and must be upgraded, which a read-only workspace cannot be. Open a writable copy of it.</source>
        <translation>%1 由旧版 Riskdesk 写入，需要升级，而只读工作区无法升级。请打开它的可写副本。</translation>
    </message>
    <message>
        <source>a damaged page</source>
        <translation>一个损坏的页面</translation>
    </message>
    <message numerus="yes">
        <source>%1, and %n more finding(s)</source>
        <translation>
            <numerusform>%1，另有 %n 处问题</numerusform>
        </translation>
    </message>
    <message>
        <source>The workspace %1 is damaged (SQLite&apos;s check: %2). Nothing more will be written to it. Restore the file from a backup, or create a new workspace and sync it from the server.</source>
        <translation>工作区 %1 已损坏（SQLite 检查结果：%2）。不会再向其写入任何内容。请从备份恢复该文件，或新建工作区并从服务器同步。</translation>
    </message>
    <message>
        <source>The workspace takes no changes: it is open read-only, or was found damaged.</source>
        <translation>此工作区不接受更改：它以只读方式打开，或已被发现损坏。</translation>
    </message>
    <message>
        <source>Starting a change</source>
        <translation>开始更改</translation>
    </message>
    <message>
        <source>Queueing the comment for sync</source>
        <translation>将评论加入同步队列</translation>
    </message>
    <message>
        <source>Queueing the request for sync</source>
        <translation>将申请加入同步队列</translation>
    </message>
    <message>
        <source>The workspace %1 is open read-only (this user may not write the file or its folder): it can be read and verified, but nothing can be changed or recorded in it.</source>
        <translation>工作区 %1 以只读方式打开（当前用户无权写入该文件或其所在文件夹）：可以查看和校验，但不能修改，也不能在其中记录任何内容。</translation>
    </message>
    <message>
        <source>There is no workspace at %1. Check the path, or create one there: riskdesk workspace create --workspace %1 (empty, to sync from a server), or riskdesk demo --workspace %1 (with demo data).</source>
        <translation>%1 处没有工作区。请检查路径，或在该处新建一个：riskdesk workspace create --workspace %1（空工作区，用于从服务器同步），或 riskdesk demo --workspace %1（含演示数据）。</translation>
    </message>
    <message>
        <source>Asking whether %1 changed</source>
        <translation>检查 %1 是否已更改</translation>
    </message>
    <message>
        <source>%1 gave no data version.</source>
        <translation>%1 未返回数据版本。</translation>
    </message>
    <message>
        <source>Starting a read</source>
        <translation>开始读取</translation>
    </message>
    <message>
        <source>Saving to the workspace</source>
        <translation>保存到工作区</translation>
    </message>
    <message>
        <source>%1 failed: another Riskdesk window or command was writing to the workspace and did not finish within %2 seconds. Nothing was changed; try again when it is done.</source>
        <translation>%1失败：另一个 Riskdesk 窗口或命令正在写入工作区，%2 秒内未完成。未做任何更改；请在其完成后重试。</translation>
    </message>
</context>
<context>
    <name>riskdesk::WorkspaceFileHeader</name>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>%1 is an empty file, not a Riskdesk workspace. Open the workspace file itself, or create one with: riskdesk demo --workspace PATH</source>
        <translation>%1 是空文件，不是 Riskdesk 工作区。请打开工作区文件本身，或用以下命令创建：riskdesk demo --workspace PATH</translation>
    </message>
    <message>
        <source>%1 is not a Riskdesk workspace.</source>
        <translation>%1 不是 Riskdesk 工作区。</translation>
    </message>
    <message>
        <source>The workspace %1 is damaged: its header names no valid page size. Restore the file from a backup, or create a new workspace and sync it from the server.</source>
        <translation>工作区 %1 已损坏：文件头中的页大小无效。请从备份恢复该文件，或新建工作区并从服务器同步。</translation>
    </message>
    <message>
        <source>The workspace %1 is damaged: it is cut off (%2 bytes of %3). Restore the file from a backup, or create a new workspace and sync it from the server.</source>
        <translation>工作区 %1 已损坏：文件不完整（只有 %3 字节中的 %2 字节）。请从备份恢复该文件，或新建工作区并从服务器同步。</translation>
    </message>
</context>
<context>
    <name>riskdesk::WorkspaceHealthRecord</name>
    <message>
        <source>The workspace %1 was found damaged on %2 (%3). Nothing more is written to it. Restore the file from a backup, or create a new workspace and sync it from the server; a full check (riskdesk workspace check --full) that finds no damage clears this.</source>
        <translation>工作区 %1 于 %2 被发现损坏（%3）。不会再向其写入任何内容。请从备份恢复该文件，或新建工作区并从服务器同步；完整检查（riskdesk workspace check --full）未发现损坏时，此状态即解除。</translation>
    </message>
</context>
<context>
    <name>riskdesk::WorkspaceIdentity</name>
    <message>
        <source>%1 is a copy of %2; its approval log is verified on its own, not against the original&apos;s.</source>
        <translation>%1 是 %2 的副本；其审批日志单独校验，不与原件对照。</translation>
    </message>
    <message>
        <source>%1 is a copy of %2: it now has an identity of its own, and its approval log is verified on its own from here on.</source>
        <translation>%1 是 %2 的副本：现已分配独立标识，此后其审批日志单独校验。</translation>
    </message>
    <message>
        <source>Recording the workspace&apos;s identity</source>
        <translation>记录工作区标识</translation>
    </message>
    <message>
        <source>Reading the workspace&apos;s approval logs</source>
        <translation>读取工作区的审批日志</translation>
    </message>
    <message>
        <source>%1 now holds another workspace (%3) than the one this desktop verified there (%2): its approval log is verified afresh.</source>
        <translation>%1 现在是另一个工作区（%3），不是本机曾在此校验过的那个（%2）：其审批日志将重新校验。</translation>
    </message>
    <message>
        <source>Reading the workspace&apos;s identity</source>
        <translation>读取工作区标识</translation>
    </message>
    <message>
        <source>%1 holds no valid workspace identity (&quot;%2&quot;): it is known as %3 from now on.</source>
        <translation>%1 没有有效的工作区标识（“%2”）：从现在起以 %3 标识。</translation>
    </message>
    <message>
        <source>%1 held workspace %2 when this desktop last opened it, and now says it is workspace %3. The approval log of %4 is checked against what this desktop verified in it then, so entries removed or changed since still show.</source>
        <translation>本机上次打开 %1 时它是工作区 %2，现在它自称工作区 %3。%4 的审批日志将与本机当时验证的结果核对，此后删除或改动的条目仍会显现。</translation>
    </message>
    <message>
        <source>%1 is new to this desktop, but its approval log of %2 starts as that of workspace %3, verified here in a file that is no longer where it was: it is checked against what this desktop verified then.</source>
        <translation>%1 对本机是新文件，但其 %2 的审批日志开头与工作区 %3 相同，而本机验证过的该工作区文件已不在原处：将与本机当时验证的结果核对。</translation>
    </message>
</context>
</TS>
