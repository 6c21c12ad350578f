#include "NewRequestDialog.h"

#include "DateField.h"
#include "FlowDiagramView.h"
#include "PlainFileIconProvider.h"
#include "attach/AttachmentIntake.h"
#include "attach/AttachmentService.h"
#include "attach/RequestService.h"
#include "domain/ExceptionValidator.h"
#include "domain/RuleTerms.h"
#include "domain/Sentences.h"
#include "domain/TextRules.h"
#include "domain/TimeText.h"
#include "domain/Timestamps.h"
#include "flow/FlowSpecBuilder.h"
#include "settings/AppSettings.h"
#include "store/DatabaseThread.h"
#include "store/DirectoryRepository.h"
#include "store/ExceptionRepository.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QScreen>
#include <QShortcut>
#include <QTimeZone>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

// The fields the form shows; a problem naming another field (applicant_id, tenant_id) goes above them all.
const QStringList kFields{u"target_type"_s,      u"target_id"_s,      u"risk_rule_id"_s,
                          u"valid_start_time"_s, u"valid_end_time"_s, u"reason_category"_s,
                          u"justification"_s,    u"attachments"_s};

QString fieldShown(const QString& field) {
    if (field == u"attachment_url")
        return u"attachments"_s;
    return kFields.contains(field) ? field : QString();
}

// What the form offers, read in one task: the tenant's rules and the reason categories in use.
struct FormChoices {
    QList<Rule> rules;
    QStringList categories;
};

} // namespace

NewRequestDialog::NewRequestDialog(DatabaseThread* database, const Session& session, QWidget* parent)
    : QDialog(parent), m_database(database), m_session(session) {
    setObjectName(u"newRequestDialog"_s);
    setWindowTitle(
        tr("New request in %1").arg(session.tenantName.isEmpty() ? session.tenantId : session.tenantName));
    setAcceptDrops(true);
    auto* layout = new QVBoxLayout(this);
    auto* intro =
        new QLabel(tr("Ask for an exception to a risk rule for one target during a validity window. "
                      "An approver decides; you can withdraw it while it is pending."));
    intro->setWordWrap(true);
    layout->addWidget(intro);
    layout->addWidget(errorLabel({}));

    auto* columns = new QHBoxLayout;
    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    // Each field with its problem right under it.
    auto row = [&](const QString& label, QWidget* field, const QString& name) {
        auto* box = new QWidget;
        auto* boxLayout = new QVBoxLayout(box);
        boxLayout->setContentsMargins(0, 0, 0, 0);
        boxLayout->setSpacing(2);
        boxLayout->addWidget(field);
        boxLayout->addWidget(errorLabel(name));
        form->addRow(label, box);
        if (auto* l = qobject_cast<QLabel*>(form->labelForField(box)))
            l->setBuddy(field);
        // "Valid &until:" and "截止时间(&U)：" both become the plain name.
        static const QRegularExpression accelerator(u"[(（]&.[)）]|&(?=.)"_s);
        QString plain = QString(label).remove(accelerator);
        while (plain.endsWith(u':') || plain.endsWith(u'：'))
            plain.chop(1);
        m_fieldLabels.insert(name, plain.trimmed());
    };

    m_targetType = new QComboBox;
    m_targetType->setObjectName(u"targetTypeBox"_s);
    for (const QString& wire : allTargetTypeWires())
        m_targetType->addItem(displayName(*targetTypeFromWire(wire)), wire);
    row(tr("Target &type:"), m_targetType, u"target_type"_s);
    m_targetId = new QLineEdit;
    m_targetId->setObjectName(u"targetIdEdit"_s);
    m_targetId->setPlaceholderText(tr("e.g. CLM-20260304-0017"));
    row(tr("Target &id:"), m_targetId, u"target_id"_s);
    m_rule = new QComboBox;
    m_rule->setObjectName(u"ruleBox"_s);
    m_rule->setPlaceholderText(tr("Loading the rules…"));
    m_ruleTerms = new QLabel;
    m_ruleTerms->setObjectName(u"ruleTerms"_s);
    m_ruleTerms->setWordWrap(true);
    m_ruleTerms
        ->hide(); // until a rule is chosen: an empty line parted the rule's error from its box (helper-84)
    auto* ruleBox = new QWidget;
    auto* ruleLayout = new QVBoxLayout(ruleBox);
    ruleLayout->setContentsMargins(0, 0, 0, 0);
    ruleLayout->addWidget(m_rule);
    ruleLayout->addWidget(m_ruleTerms);
    row(tr("&Rule:"), ruleBox, u"risk_rule_id"_s);
    const QDateTime now = QDateTime::currentDateTime();
    const QDateTime startOfHour(now.date(), QTime(now.time().hour(), 0));
    m_start = new DateField(u"yyyy-MM-dd HH:mm"_s);
    m_start->setDateTime(startOfHour);
    m_start->setObjectName(u"validStartEdit"_s);
    row(tr("Valid &from:"), m_start, u"valid_start_time"_s);
    m_end = new DateField(u"yyyy-MM-dd HH:mm"_s);
    m_end->setDateTime(startOfHour.addDays(7));
    m_end->setObjectName(u"validEndEdit"_s);
    row(tr("Valid &until:"), m_end, u"valid_end_time"_s);
    // Free text, with the categories the tenant's requests already use offered first (most used first): a new
    // spelling of an existing category would count apart from it on the risk-operations board.
    m_categoryBox = new QComboBox;
    m_categoryBox->setObjectName(u"reasonCategoryBox"_s);
    m_categoryBox->setEditable(true);
    m_categoryBox->setInsertPolicy(QComboBox::NoInsert);
    m_categoryBox->setToolTip(tr("Choose a category in use, or type a new one"));
    m_category = m_categoryBox->lineEdit();
    m_category->setObjectName(u"reasonCategoryEdit"_s);
    m_category->setPlaceholderText(tr("Choose one in use, or type a new one"));
    m_category->setMaxLength(TextRules::kMaxLabelCharacters * 2); // surrogate pairs count twice here
    row(tr("Reason &category:"), m_categoryBox, u"reason_category"_s);
    m_justification = new QPlainTextEdit;
    m_justification->setObjectName(u"justificationEdit"_s);
    m_justification->setTabChangesFocus(true);
    m_justification->setPlaceholderText(tr("Why the rule should not apply to this target for this time."));
    row(tr("&Justification:"), m_justification, u"justification"_s);

    auto* files = new QWidget;
    auto* filesLayout = new QVBoxLayout(files);
    filesLayout->setContentsMargins(0, 0, 0, 0);
    m_attachmentList = new QListWidget;
    m_attachmentList->setObjectName(u"attachmentList"_s);
    m_attachmentList->setMaximumHeight(90);
    m_attachmentList->setToolTip(tr("Drop files here, or add them with the button."));
    filesLayout->addWidget(m_attachmentList);
    auto* fileButtons = new QHBoxLayout;
    auto* add = new QPushButton(tr("&Add files…"));
    add->setObjectName(u"addAttachmentButton"_s);
    auto* remove = new QPushButton(tr("Re&move"));
    remove->setObjectName(u"removeAttachmentButton"_s);
    auto* limits =
        new QLabel(tr("Images, PDF, text or CSV; at most %1 each.")
                       .arg(QLocale().formattedDataSize(m_database->settings().attachmentMaxBytes(), 0,
                                                        QLocale::DataSizeTraditionalFormat)));
    fileButtons->addWidget(add);
    fileButtons->addWidget(remove);
    fileButtons->addWidget(limits, 1);
    filesLayout->addLayout(fileButtons);
    row(tr("Attac&hments:"), files, u"attachments"_s);
    connect(add, &QPushButton::clicked, this, &NewRequestDialog::chooseFiles);
    connect(remove, &QPushButton::clicked, this, &NewRequestDialog::removeSelectedAttachment);

    columns->addLayout(form, 1);
    // As wide as the form where the screen allows, and a click opens it large: in a narrow pane the
    // whole diagram fitted there was a strip of unreadable text (helper-84).
    m_diagram = new FlowDiagramView;
    m_diagram->setObjectName(u"ruleDiagram"_s);
    m_diagram->setMinimumWidth(360);
    m_diagram->setAccessibleName(tr("The chosen rule's flow diagram"));
    connect(m_diagram, &FlowDiagramView::clicked, this, [this] {
        if (const auto& shown = m_diagram->diagramLayout())
            m_diagram->openEnlarged(tr("Rule flow: %1").arg(shown->title));
    });
    columns->addWidget(m_diagram, 1);
    layout->addLayout(columns, 1);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    m_submit = buttons->button(QDialogButtonBox::Ok);
    m_submit->setText(tr("&File request"));
    m_submit->setObjectName(u"submitRequestButton"_s);
    m_submit->setToolTip(tr("Ctrl+Return"));
    m_submit->setEnabled(false);
    connect(buttons, &QDialogButtonBox::accepted, this, &NewRequestDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &NewRequestDialog::reject);
    layout->addWidget(buttons);
    auto* confirm = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this);
    connect(confirm, &QShortcut::activated, this, &NewRequestDialog::accept);
    connect(m_rule, &QComboBox::currentIndexChanged, this, &NewRequestDialog::showRule);

    // A problem disappears as soon as its field is edited.
    auto clears = [this](const QString& field) { return [this, field] { errorLabel(field)->hide(); }; };
    connect(m_targetType, &QComboBox::currentIndexChanged, this, clears(u"target_type"_s));
    connect(m_targetId, &QLineEdit::textEdited, this, clears(u"target_id"_s));
    connect(m_rule, &QComboBox::currentIndexChanged, this, clears(u"risk_rule_id"_s));
    connect(m_start, &QDateTimeEdit::dateTimeChanged, this, clears(u"valid_start_time"_s));
    connect(m_end, &QDateTimeEdit::dateTimeChanged, this, clears(u"valid_end_time"_s));
    connect(m_categoryBox, &QComboBox::currentTextChanged, this, clears(u"reason_category"_s));
    connect(m_justification, &QPlainTextEdit::textChanged, this, clears(u"justification"_s));
    const QSize room = screen()->availableGeometry().size();
    resize(std::min(1320, room.width() * 9 / 10), std::min(700, room.height() * 9 / 10));

    const QString tenant = session.tenantId;
    auto task = m_database->task([tenant](Workspace& w) -> Result<FormChoices> {
        Result<QList<Rule>> rules = DirectoryRepository(w.db()).rules(tenant);
        if (!rules)
            return rules.problem();
        Result<QStringList> categories = ExceptionRepository(w.db()).recentReasonCategories(tenant);
        if (!categories)
            return categories.problem();
        return FormChoices{rules.value(), categories.value()};
    });
    QCoro::connect(std::move(task), this, [this](const Result<FormChoices>& choices) {
        m_rulesLoaded = true;
        m_rule->setPlaceholderText(tr("Choose a rule"));
        if (!choices) {
            showProblems({choices.problem()});
        } else {
            m_categoryBox->addItems(choices.value().categories);
            m_categoryBox->setCurrentIndex(-1); // nothing chosen until the applicant chooses
            m_rules = choices.value().rules;
            for (const Rule& r : std::as_const(m_rules)) {
                const bool active = RuleTerms::of(r.payload).active;
                m_rule->addItem(active ? tr("%1 · %2").arg(r.ruleId, r.name)
                                       : tr("%1 · %2 (inactive)").arg(r.ruleId, r.name),
                                r.ruleId);
            }
            m_rule->setCurrentIndex(-1);
            m_submit->setEnabled(true);
        }
        Q_EMIT rulesReady();
    });
}

QLabel* NewRequestDialog::errorLabel(const QString& field) {
    if (QLabel* existing = m_errors.value(field))
        return existing;
    auto* label = new QLabel;
    label->setObjectName(field.isEmpty() ? u"error_general"_s : u"error_"_s + field);
    label->setWordWrap(true);
    label->setStyleSheet(u"color: #b91c1c;"_s);
    label->setVisible(false);
    m_errors.insert(field, label);
    return label;
}

QString NewRequestDialog::errorFor(const QString& field) const {
    const QLabel* label = m_errors.value(field);
    return label && !label->isHidden() ? label->text() : QString();
}

void NewRequestDialog::clearProblems() {
    for (QLabel* label : std::as_const(m_errors)) {
        label->clear();
        label->hide();
    }
}

void NewRequestDialog::showProblems(const QList<Problem>& problems) {
    QHash<QString, QStringList> byField;
    QStringList order;
    for (const Problem& p : problems) {
        const QString field = fieldShown(p.field);
        if (!byField.contains(field))
            order << field;
        byField[field] << inFormTerms(p.message);
    }
    for (const QString& field : std::as_const(order)) {
        QLabel* label = errorLabel(field);
        label->setText(byField.value(field).join(u'\n'));
        label->show();
    }
    // The first field with a problem takes the focus, so the keyboard goes where the fixing is.
    const QHash<QString, QWidget*> widgets{
        {u"target_type"_s, m_targetType},      {u"target_id"_s, m_targetId},
        {u"risk_rule_id"_s, m_rule},           {u"valid_start_time"_s, m_start},
        {u"valid_end_time"_s, m_end},          {u"reason_category"_s, m_categoryBox},
        {u"justification"_s, m_justification}, {u"attachments"_s, m_attachmentList}};
    for (const QString& field : kFields)
        if (byField.contains(field)) {
            widgets.value(field)->setFocus();
            break;
        }
}

QString NewRequestDialog::inFormTerms(const QString& message) const {
    QString out = message;
    QHash<QString, QString> labels = m_fieldLabels;
    labels.insert(u"attachment_url"_s, m_fieldLabels.value(u"attachments"_s));
    for (auto it = labels.cbegin(); it != labels.cend(); ++it) {
        if (it.value().isEmpty())
            continue;
        // A label in Chinese joins the Chinese text after it without the space an identifier needed.
        const QChar last = it.value().back();
        const bool cjk = last.script() == QChar::Script_Han;
        const QRegularExpression wire(
            (cjk ? u"(?:(?<=[\\p{Han}\\x{3000}-\\x{303f}\\x{ff00}-\\x{ffef}]) )?\\b%1\\b(?: (?=\\p{Han}))?"_s
                 : u"\\b%1\\b"_s)
                .arg(QRegularExpression::escape(it.key())));
        out.replace(wire, it.value());
    }
    // The times the form shows are local and to the minute; the validator speaks UTC ISO for the JSON.
    static const QRegularExpression iso(u"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?Z"_s);
    QRegularExpressionMatch m;
    qsizetype from = 0;
    while ((m = iso.match(out, from)).hasMatch()) {
        const std::optional<QDateTime> t = timestamps::fromIso(m.captured());
        const QString shown = t ? TimeText::minutes(*t) : m.captured();
        out.replace(m.capturedStart(), m.capturedLength(), shown);
        from = m.capturedStart() + shown.size();
    }
    return out;
}

std::optional<Rule> NewRequestDialog::selectedRule() const {
    const QString id = m_rule->currentData().toString();
    for (const Rule& r : m_rules)
        if (r.ruleId == id)
            return r;
    return std::nullopt;
}

void NewRequestDialog::showRule() {
    const auto rule = selectedRule();
    if (!rule) {
        m_diagram->clear();
        m_diagram->setToolTip({}); // nothing to enlarge
        m_ruleTerms->clear();
        m_ruleTerms->hide();
        return;
    }
    m_diagram->setSpec(FlowSpecBuilder::build(rule->payload));
    m_diagram->setToolTip(tr("Click to see the diagram large"));
    const RuleTerms terms = RuleTerms::of(rule->payload);
    QStringList said{tr("Severity: %1.").arg(displayName(rule->severity))};
    if (!terms.active)
        said << tr("This rule is not active: it takes no new requests.");
    said << (terms.maxValidityDays
                 ? tr("A window of at most %n day(s).", nullptr, *terms.maxValidityDays)
                 : tr("A window of at most %n day(s).", nullptr, ExceptionValidator::kMaxWindowDays));
    // The rule says what kind of target it judges: the request names one of that kind (helper-77 filed a
    // device rule for a claim).
    if (terms.targetType) {
        said << tr("For %1 targets.").arg(displayName(*terms.targetType).toLower());
        m_targetType->setCurrentIndex(m_targetType->findData(toWire(*terms.targetType)));
    }
    m_ruleTerms->setText(Sentences::join(said));
    m_ruleTerms->show();
}

void NewRequestDialog::chooseFiles() {
    PlainFileIconProvider icons; // outlives the dialog
    QFileDialog dialog(this, tr("Attach files"), {},
                       tr("Images, PDF, text and CSV (*.png *.jpg *.jpeg *.gif *.webp *.bmp "
                          "*.tif *.tiff *.pdf *.txt *.csv);;All files (*)"));
    dialog.setFileMode(QFileDialog::ExistingFiles);
    dialog.setIconProvider(&icons);
    if (dialog.exec() == QDialog::Accepted && !dialog.selectedFiles().isEmpty())
        addAttachments(dialog.selectedFiles());
}

void NewRequestDialog::addAttachments(const QStringList& paths) {
    errorLabel(u"attachments"_s)->hide();
    const qint64 maxBytes = m_database->settings().attachmentMaxBytes();
    // One task for the lot: each file's answer was shown alone before, so the last refusal hid the others and
    // files refused silently seemed lost (helper-71).
    auto task = m_database->task([paths, maxBytes](Workspace&) {
        QList<Result<AttachmentContent>> read;
        for (const QString& path : paths)
            read.append(AttachmentIntake::fromFile(path, maxBytes));
        return read;
    });
    QCoro::connect(std::move(task), this, [this](const QList<Result<AttachmentContent>>& read) {
        QList<Problem> refused;
        for (const Result<AttachmentContent>& file : read) {
            if (!file) {
                refused.append(file.problem());
                continue;
            }
            const AttachmentContent& a = file.value();
            const auto known = std::find_if(m_attachments.begin(), m_attachments.end(),
                                            [&](const AttachmentContent& c) { return c.sha256 == a.sha256; });
            if (known != m_attachments.end()) {
                refused.append(Problem{u"attachment_duplicate"_s,
                                       tr("%1 has the same content as %2, which is attached already.")
                                           .arg(a.fileName, known->fileName),
                                       u"attachments"_s});
            } else {
                m_attachments.append(a);
                auto* item = new QListWidgetItem(
                    tr("%1 · %2 · %3")
                        // in the units the detail panel uses (KiB), not kB for 1024
                        .arg(a.fileName, a.mimeType, QLocale().formattedDataSize(a.bytes.size())),
                    m_attachmentList);
                item->setData(Qt::UserRole, QString::fromLatin1(a.sha256));
            }
        }
        if (!refused.isEmpty())
            showProblems(refused);
        Q_EMIT attachmentChecked();
    });
}

void NewRequestDialog::removeSelectedAttachment() {
    const int row = m_attachmentList->currentRow();
    if (row < 0)
        return;
    delete m_attachmentList->takeItem(row);
    m_attachments.removeAt(row);
    errorLabel(u"attachments"_s)->hide();
}

void NewRequestDialog::dragEnterEvent(QDragEnterEvent* event) {
    const QList<QUrl> urls = event->mimeData()->urls();
    if (std::any_of(urls.begin(), urls.end(), [](const QUrl& u) { return u.isLocalFile(); }))
        event->acceptProposedAction();
}

void NewRequestDialog::dropEvent(QDropEvent* event) {
    QStringList paths;
    for (const QUrl& url : event->mimeData()->urls())
        if (url.isLocalFile())
            paths << url.toLocalFile();
    if (!paths.isEmpty())
        addAttachments(paths);
    event->acceptProposedAction();
}

void NewRequestDialog::accept() {
    if (m_busy || !m_rulesLoaded)
        return;
    clearProblems();
    ExceptionRequest request;
    request.tenantId = m_session.tenantId;
    request.applicantId = m_session.userId;
    request.targetType = m_targetType->currentData().toString();
    request.targetId = m_targetId->text();
    request.riskRuleId = m_rule->currentData().toString();
    request.validStartTime = m_start->dateTime().toUTC();
    request.validEndTime = m_end->dateTime().toUTC();
    request.reasonCategory = TextRules::trimmed(m_category->text());
    request.justification = TextRules::trimmed(m_justification->toPlainText());
    const QDateTime now = QDateTime::currentDateTimeUtc();
    // What the form can tell at once; the workspace checks everything again when it files.
    const QList<Problem> problems = ExceptionValidator::validateRequest(request, selectedRule(), now);
    if (!problems.isEmpty()) {
        showProblems(problems);
        Q_EMIT filingFailed();
        return;
    }
    m_busy = true;
    m_submit->setEnabled(false);
    const QList<AttachmentContent> attachments = m_attachments;
    const qint64 maxBytes = m_database->settings().attachmentMaxBytes();
    auto task = m_database->task([request, attachments, now, maxBytes](Workspace& w) {
        if (auto refusal = w.writeRefusal())
            return RequestOutcome{std::nullopt, {*refusal}};
        return RequestService(w.db()).file(request, attachments, now, maxBytes);
    });
    QCoro::connect(std::move(task), this, [this](const RequestOutcome& outcome) {
        m_busy = false;
        m_submit->setEnabled(true);
        if (!outcome.ok()) {
            showProblems(outcome.problems);
            Q_EMIT filingFailed();
            return;
        }
        Q_EMIT filed(*outcome.exception);
        QDialog::accept();
    });
}

} // namespace riskdesk
