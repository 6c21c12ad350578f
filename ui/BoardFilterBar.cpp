#include "BoardFilterBar.h"

#include "DateField.h"
#include "boards/CustomerDimensions.h"
#include "boards/FinanceTrend.h"
#include "domain/DomainTypes.h"

#include <QComboBox>
#include <QCompleter>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QScrollBar>
#include <QTabBar>
#include <QTimeZone>
#include <QToolButton>
#include <QVBoxLayout>
#include <QWidgetAction>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

DateField* dateField(const QString& name, const QString& format = u"yyyy-MM-dd"_s) {
    auto* edit = new DateField(format);
    edit->setObjectName(name);
    return edit;
}

QLineEdit* lineEdit(const QString& name, const QString& placeholder) {
    auto* edit = new QLineEdit;
    edit->setObjectName(name);
    edit->setPlaceholderText(placeholder);
    edit->setClearButtonEnabled(true);
    edit->setMaximumWidth(180);
    return edit;
}

} // namespace

BoardFilterBar::BoardFilterBar(QWidget* parent) : QWidget(parent) {
    setObjectName(u"boardFilterBar"_s);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->setSpacing(4);
    auto* row = new QHBoxLayout;
    row->setSpacing(6);
    outer->addLayout(row);

    m_periodLabel = new QLabel(tr("Period:"));
    m_preset = new QComboBox;
    m_preset->setObjectName(u"periodPreset"_s);
    m_preset->setAccessibleName(tr("Period"));
    m_preset->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_periodLabel->setBuddy(m_preset);
    m_from = dateField(u"periodFrom"_s);
    m_to = dateField(u"periodTo"_s);
    m_month = dateField(u"salaryMonth"_s, u"yyyy-MM"_s);
    m_month->setAccessibleName(tr("Salary month"));
    m_resolved = new QLabel;
    m_resolved->setObjectName(u"resolvedPeriod"_s);
    m_resolved->setStyleSheet(u"color: #334155;"_s);
    m_asOfLabel = new QLabel(tr("As of:"));
    m_asOf = dateField(u"asOfDay"_s);
    m_asOfLabel->setBuddy(m_asOf);
    // BOARD-4's queue figures are as of an instant (spec §9.4): now, or a time the user picks, in UTC as the
    // board's days are. A time field that showed "Now" as its lowest value could not be typed into, and its
    // calendar opened in the year 2000: the choice is its own box, and the field starts at the present
    // minute.
    m_queueAsOfLabel = new QLabel(tr("Queue as of:"));
    m_queueAsOfMode = new QComboBox;
    m_queueAsOfMode->setObjectName(u"queueAsOfMode"_s);
    m_queueAsOfMode->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_queueAsOfMode->addItem(tr("Now"));
    m_queueAsOfMode->addItem(tr("A time…"));
    m_queueAsOfMode->setToolTip(
        tr("The instant of the queue's figures (pending, their ages, past SLA, "
           "expiring): now, or a moment in the past to see the queue as it stood then."));
    m_queueAsOfLabel->setBuddy(m_queueAsOfMode);
    m_queueAsOf = dateField(u"queueAsOf"_s, u"yyyy-MM-dd HH:mm 'UTC'"_s);
    m_queueAsOf->setAccessibleName(tr("Queue as of"));
    m_queueAsOf->setTimeSpec(Qt::UTC);
    m_skillLabel = new QLabel(tr("Skill:"));
    m_skill = new QComboBox;
    m_skill->setObjectName(u"skillFilter"_s);
    m_skill->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_skillLabel->setBuddy(m_skill);
    m_search = lineEdit(u"boardSearch"_s, tr("Name or number…"));
    m_search->setAccessibleName(tr("Search"));
    m_granularityLabel = new QLabel(tr("Trend by:"));
    m_granularity = new QComboBox;
    m_granularity->setObjectName(u"granularity"_s);
    m_granularity->addItem(tr("Automatic"), QString());
    for (const auto g :
         {FinanceTrend::Granularity::Day, FinanceTrend::Granularity::Week, FinanceTrend::Granularity::Month})
        m_granularity->addItem(FinanceTrend::label(g), FinanceTrend::key(g));
    m_granularityLabel->setBuddy(m_granularity);
    m_severity = new QComboBox;
    m_severity->setObjectName(u"severityFilter"_s);
    m_severity->addItem(tr("All severities"), QString());
    m_severity->addItem(tr("Low"), u"low"_s);
    m_severity->addItem(tr("Medium"), u"medium"_s);
    m_severity->addItem(tr("High"), u"high"_s);
    m_severity->addItem(tr("Critical"), u"critical"_s);
    // A list in the menu, not one action per rule: the menu stays open while several are checked, and the
    // board loads once, when it closes.
    m_rules = new QToolButton;
    m_rules->setObjectName(u"rulesFilter"_s);
    m_rules->setAccessibleName(tr("Rules"));
    m_rules->setPopupMode(QToolButton::InstantPopup);
    m_rules->setToolButtonStyle(Qt::ToolButtonTextOnly);
    auto* rulesMenu = new QMenu(m_rules);
    QAction* allRules = rulesMenu->addAction(tr("All rules"));
    m_ruleList = new QListWidget;
    m_ruleList->setObjectName(u"ruleList"_s);
    m_ruleList->setAccessibleName(tr("Rules to show"));
    m_ruleList->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff); // wide enough, else elided
    auto* listAction = new QWidgetAction(rulesMenu);
    listAction->setDefaultWidget(m_ruleList);
    rulesMenu->addAction(listAction);
    m_rules->setMenu(rulesMenu);
    connect(allRules, &QAction::triggered, this, [this] {
        for (int i = 0; i < m_ruleList->count(); ++i)
            m_ruleList->item(i)->setCheckState(Qt::Unchecked);
        takeRuleSelection();
    });
    connect(rulesMenu, &QMenu::aboutToHide, this, &BoardFilterBar::takeRuleSelection);
    connect(rulesMenu, &QMenu::aboutToShow, this, [this] { m_ruleList->setFocus(); });
    m_targetType = new QComboBox;
    m_targetType->setObjectName(u"targetTypeFilter"_s);
    m_targetType->setAccessibleName(tr("Target type"));
    m_targetType->addItem(tr("All target types"), QString());
    for (const QString& wire : allTargetTypeWires())
        m_targetType->addItem(displayName(*targetTypeFromWire(wire)), wire);
    m_reason = lineEdit(u"reasonFilter"_s, tr("Reason category"));
    m_approver = new QComboBox;
    m_approver->setObjectName(u"approverFilter"_s);
    m_approver->setAccessibleName(tr("Approver"));
    m_approver->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_approver->addItem(tr("All approvers"), QString());

    for (QWidget* w :
         std::initializer_list<QWidget*>{m_periodLabel, m_preset, m_month, m_from, m_to, m_resolved,
                                         m_asOfLabel, m_asOf, m_queueAsOfLabel, m_queueAsOfMode, m_queueAsOf,
                                         m_skillLabel, m_skill, m_granularityLabel, m_granularity})
        row->addWidget(w);
    row->addStretch(1);
    row->addWidget(m_search);
    // BOARD-4's own filters on a line of their own: on one line with the period and the queue's instant they
    // made the window 1,071 px wide on a 1,024 px screen, and wider with each long approver name or reason
    // typed (helper-91). Hidden on the other boards, the line takes no room.
    auto* riskOpsRow = new QHBoxLayout;
    riskOpsRow->setSpacing(6);
    for (QWidget* w :
         std::initializer_list<QWidget*>{m_severity, m_rules, m_targetType, m_reason, m_approver})
        riskOpsRow->addWidget(w);
    riskOpsRow->addStretch(1);
    outer->addLayout(riskOpsRow);

    m_dimension = new QTabBar;
    m_dimension->setObjectName(u"dimensionTabs"_s);
    m_dimension->setExpanding(false);
    m_dimension->setDrawBase(false);
    for (CustomerDimension d : CustomerDimensions::all()) {
        const int i = m_dimension->addTab(CustomerDimensions::title(d));
        m_dimension->setTabData(i, CustomerDimensions::key(d));
    }
    outer->addWidget(m_dimension);

    connect(m_preset, &QComboBox::activated, this, [this] {
        updateVisibility();
        updateResolved();
        emitChanged();
    });
    // A day stepped with the arrow keys or the wheel, or picked in the calendar, is applied once the user
    // pauses, as a day typed is on Enter (helper-84: the field said 12-06 over the figures of 12-07).
    // A field left as it was (its calendar opened and closed, the focus passing through) loads nothing: a
    // reload went back to the first page (helper-87).
    for (DateField* edit : {m_from, m_to, m_month, m_asOf})
        connect(edit, &DateField::committed, this, [this] {
            if (dates() == m_announcedDates)
                return;
            m_announcedDates = dates();
            updateVisibility(); // a period put right closes again on a tab that does not use it
            updateResolved();
            emitChanged();
        });
    connect(m_queueAsOfMode, &QComboBox::activated, this, [this](int index) {
        if (index == 1) { // from the present minute, which the user moves back
            const QDateTime now = m_clock().toUTC();
            m_queueAsOf->setDateTime(
                QDateTime(now.date(), QTime(now.time().hour(), now.time().minute()), QTimeZone::utc()));
            m_shownQueueAsOf = m_queueAsOf->dateTime();
        }
        updateVisibility();
        emitChanged();
        if (index == 1)
            m_queueAsOf->setFocus();
    });
    connect(m_queueAsOf, &DateField::committed, this, [this] {
        if (m_queueAsOf->dateTime() != m_shownQueueAsOf) {
            m_shownQueueAsOf = m_queueAsOf->dateTime();
            emitChanged();
        }
    });
    for (QComboBox* box : {m_skill, m_granularity, m_severity, m_targetType, m_approver})
        connect(box, &QComboBox::activated, this, &BoardFilterBar::emitChanged);
    for (QLineEdit* edit : {m_search, m_reason})
        connect(edit, &QLineEdit::editingFinished, this, [this, edit] {
            if (edit->isModified()) {
                edit->setModified(false);
                emitChanged();
            }
        });
    connect(m_dimension, &QTabBar::tabBarClicked, this, [this](int index) {
        if (index >= 0 && index != m_dimension->currentIndex()) {
            m_dimension->setCurrentIndex(index);
            emitChanged();
        }
    });
    connect(m_dimension, &QTabBar::currentChanged, this, [this] {
        updateVisibility();
        updateResolved();
    });
    updateRulesText();
    configure(BoardKind::Finance, QDate::currentDate(), {});
}

BoardFilterBar::~BoardFilterBar() {
    // QWidget's destructor closes the window and moves the focus, and a field that loses it reports its
    // editing finished, to a filter bar that is by then only a QWidget (UBSan: "vptr for QWidget"). Its
    // fields say nothing more.
    for (QObject* child : findChildren<QObject*>())
        child->blockSignals(true);
}

void BoardFilterBar::setChoices(const QList<std::pair<QString, QString>>& rules,
                                const QList<std::pair<QString, QString>>& approvers,
                                const QStringList& reasonCategories) {
    // A category is matched whole (helper-82 typed a part of one and read a board of zeros): the field offers
    // the tenant's, any part of one typed.
    delete m_reason->completer();
    auto* completer = new QCompleter(reasonCategories, m_reason);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    completer->setFilterMode(Qt::MatchContains);
    m_reason->setCompleter(completer);
    m_ruleChoices = rules;
    fillRuleList();
    updateRulesText();
    const QString approver = m_approver->currentData().toString();
    while (m_approver->count() > 1)
        m_approver->removeItem(1);
    for (const auto& [id, name] : approvers)
        m_approver->addItem(name == id || name.isEmpty() ? id : u"%1 (%2)"_s.arg(name, id), id);
    selectApprover(approver);
}

void BoardFilterBar::fillRuleList() {
    m_ruleList->clear();
    auto add = [this](const QString& id, const QString& text) {
        auto* item = new QListWidgetItem(text, m_ruleList);
        item->setData(Qt::UserRole, id);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(m_ruleIds.contains(id) ? Qt::Checked : Qt::Unchecked);
    };
    QStringList listed;
    for (const auto& [id, name] : m_ruleChoices) {
        add(id, name.isEmpty() || name == id ? id : u"%1 — %2"_s.arg(id, name));
        listed << id;
    }
    for (const QString& id :
         m_ruleIds) // chosen once, gone from the workspace since: still shown, still chosen
        if (!listed.contains(id))
            add(id, tr("%1 (not in this workspace)").arg(id));
    // Tall enough for a dozen rules, more scroll; as wide as the longest name, up to a limit (then elided).
    const int frame = 2 * m_ruleList->frameWidth();
    m_ruleList->setFixedHeight(
        std::min(12, std::max(1, m_ruleList->count())) * m_ruleList->sizeHintForRow(0) + frame);
    m_ruleList->setFixedWidth(std::clamp(m_ruleList->sizeHintForColumn(0) + frame +
                                             m_ruleList->verticalScrollBar()->sizeHint().width(),
                                         260, 560));
}

void BoardFilterBar::takeRuleSelection() {
    QStringList chosen;
    for (int i = 0; i < m_ruleList->count(); ++i)
        if (m_ruleList->item(i)->checkState() == Qt::Checked)
            chosen << m_ruleList->item(i)->data(Qt::UserRole).toString();
    if (chosen == m_ruleIds)
        return;
    m_ruleIds = chosen;
    updateRulesText();
    emitChanged();
}

void BoardFilterBar::updateRulesText() {
    if (m_ruleIds.isEmpty())
        m_rules->setText(tr("All rules"));
    else if (m_ruleIds.size() == 1)
        m_rules->setText(tr("Rule %1").arg(m_ruleIds.first()));
    else
        m_rules->setText(tr("%1 rules").arg(m_ruleIds.size())); // two or more
    m_rules->setToolTip(m_ruleIds.isEmpty() ? tr("Every rule of the tenant") : m_ruleIds.join(u", "_s));
}

void BoardFilterBar::selectApprover(const QString& id) {
    int i = m_approver->findData(id);
    if (i < 0 && !id.isEmpty()) { // a saved choice of someone no longer an approver here: kept, by id
        m_approver->addItem(id, id);
        i = m_approver->count() - 1;
    }
    m_approver->setCurrentIndex(std::max(0, i));
}

void BoardFilterBar::fillPresets(bool keepCurrent) {
    const QString current = keepCurrent ? m_preset->currentData().toString() : QString();
    m_preset->clear();
    QList<PeriodPreset> presets;
    if (m_board == BoardKind::Coach)
        presets = {PeriodPreset::ThisMonth, PeriodPreset::LastMonth, PeriodPreset::Month};
    else
        presets = {PeriodPreset::Today,       PeriodPreset::Yesterday,  PeriodPreset::ThisWeek,
                   PeriodPreset::LastWeek,    PeriodPreset::ThisMonth,  PeriodPreset::LastMonth,
                   PeriodPreset::Last7Days,   PeriodPreset::Last30Days, PeriodPreset::Last60Days,
                   PeriodPreset::ThisQuarter, PeriodPreset::ThisYear,   PeriodPreset::Custom};
    for (PeriodPreset p : presets) {
        const QString name = p == PeriodPreset::Month ? tr("Pick a month") : BoardPeriod::presetName(p);
        m_preset->addItem(name, BoardPeriod::presetKey(p));
        m_preset->setItemData(m_preset->count() - 1, BoardPeriod::presetDescription(p), Qt::ToolTipRole);
    }
    int index = m_preset->findData(current);
    if (index < 0) {
        // Each board's default period (spec §4.2, §5.2, §9.4). The finance board opens on the last whole
        // month, every day of it loaded: "this month" on the 1st is a month of nothing yet, which reads as
        // −100% everywhere (the spec leaves §6.1's default open).
        const PeriodPreset fallback = m_board == BoardKind::RiskOps    ? PeriodPreset::Last7Days
                                      : m_board == BoardKind::Customer ? PeriodPreset::Last30Days
                                      : m_board == BoardKind::Finance  ? PeriodPreset::LastMonth
                                                                       : PeriodPreset::ThisMonth;
        index = m_preset->findData(BoardPeriod::presetKey(fallback));
    }
    m_preset->setCurrentIndex(std::max(index, 0));
}

void BoardFilterBar::configure(BoardKind board, const QDate& today, const QList<SkillType>& skills) {
    const bool sameBoard = board == m_board;
    m_board = board;
    const bool newDay = today != m_today;
    m_today = today;
    fillPresets(sameBoard);
    // No maximum on the dates: a date edit clamps a typed day after its maximum to it without a word. A day
    // after today is kept as typed, and period() and asOfProblem() say what is wrong with it.
    if (newDay) {
        m_from->setDate(today.addDays(-29));
        m_to->setDate(today);
        m_month->setDate(today);
        m_asOf->setDate(today);
    }
    const QString skill = m_skill->currentData().toString();
    m_skill->clear();
    m_skill->addItem(tr("All"), QString());
    for (const SkillType& s : skills)
        m_skill->addItem(s.name, s.code);
    m_skill->setCurrentIndex(std::max(0, m_skill->findData(skill)));
    m_announcedDates = dates();
    updateVisibility();
    updateResolved();
}

QList<QDate> BoardFilterBar::dates() const {
    return {m_from->date(), m_to->date(), m_month->date(), m_asOf->date()};
}

void BoardFilterBar::updateVisibility() {
    const QString preset = m_preset->currentData().toString();
    const bool coach = m_board == BoardKind::Coach, customer = m_board == BoardKind::Customer,
               finance = m_board == BoardKind::Finance, riskops = m_board == BoardKind::RiskOps;
    const bool custom = preset == BoardPeriod::presetKey(PeriodPreset::Custom);
    m_from->setVisible(custom);
    m_to->setVisible(custom);
    m_month->setVisible(coach && preset == BoardPeriod::presetKey(PeriodPreset::Month));
    m_asOfLabel->setVisible(customer);
    m_asOf->setVisible(customer);
    m_queueAsOfLabel->setVisible(riskops);
    m_queueAsOfMode->setVisible(riskops);
    m_queueAsOf->setVisible(riskops && m_queueAsOfMode->currentIndex() == 1);
    m_dimension->setVisible(customer);
    m_skillLabel->setVisible(coach);
    m_skill->setVisible(coach);
    m_search->setVisible(coach || customer);
    m_granularityLabel->setVisible(finance);
    m_granularity->setVisible(finance);
    for (QWidget* w :
         std::initializer_list<QWidget*>{m_severity, m_rules, m_targetType, m_reason, m_approver})
        w->setVisible(riskops);

    // The period stays in view where the tab does not use it, disabled and saying why: a reader who changed
    // it and saw nothing move took the tab for broken.
    const QString unused = unusedPeriodReason();
    for (QWidget* w : std::initializer_list<QWidget*>{m_periodLabel, m_preset, m_from, m_to}) {
        w->setEnabled(unused.isEmpty());
        w->setToolTip(unused);
    }
}

QString BoardFilterBar::unusedPeriodReason() const {
    if (m_board != BoardKind::Customer)
        return {};
    // BOARD-2 counts the period on its recharge and recent-visit tabs only (spec §5.2).
    const auto d = CustomerDimensions::fromKey(m_dimension->tabData(m_dimension->currentIndex()).toString());
    // A period in error stays open to change, though the tab does not use it: the load is refused until then.
    if (!d || CustomerDimensions::usesPeriod(*d) || !period())
        return {};
    QStringList tabs;
    for (CustomerDimension other : CustomerDimensions::all())
        if (CustomerDimensions::usesPeriod(other))
            tabs << CustomerDimensions::title(other);
    return tr("The %1 tab does not use the period; only these tabs do: %2.")
        .arg(CustomerDimensions::title(*d), tabs.join(tr(", ")));
}

Result<BoardPeriod> BoardFilterBar::period() const {
    const auto preset = BoardPeriod::presetFromKey(m_preset->currentData().toString());
    if (!preset)
        return Problem{u"bad_period"_s, tr("Choose a period."), u"period"_s};
    switch (*preset) {
    case PeriodPreset::Custom:
        return BoardPeriod::customUpTo(m_from->date(), m_to->date(), m_today);
    case PeriodPreset::Month:
        return BoardPeriod::month(m_month->date().year(), m_month->date().month(), m_today);
    case PeriodPreset::LastMonth:
        if (m_board == BoardKind::Coach) {
            const QDate last = m_today.addMonths(-1);
            return BoardPeriod::month(last.year(), last.month(), m_today);
        }
        break;
    default:
        break;
    }
    return BoardPeriod::preset(*preset, m_today);
}

QString BoardFilterBar::resolvedText() const {
    const auto p = period();
    return p ? p.value().rangeText() : p.problem().message;
}

void BoardFilterBar::setComparison(const QString& text) {
    // A board (or tab) without a comparison of the period: the period's own rule, as before any result.
    if (!unusedPeriodReason().isEmpty())
        return;
    if (const auto p = period())
        m_resolved->setToolTip(text.isEmpty() ? p.value().comparisonText() : text);
}

void BoardFilterBar::updateResolved() {
    const auto p = period();
    const auto asOf = asOfProblem();
    m_resolved->setText(!p     ? u"⚠ "_s + p.problem().message
                        : asOf ? p.value().rangeText() + u" · ⚠ "_s + asOf->message
                               : p.value().rangeText());
    const QString unused = unusedPeriodReason();
    m_resolved->setEnabled(unused.isEmpty() || asOf);
    m_resolved->setToolTip(!unused.isEmpty() ? unused : p ? p.value().comparisonText() : QString());
    // Unused, it takes the disabled palette's grey, which a colour of its own would hide.
    m_resolved->setStyleSheet(asOf || !p          ? u"color: #b91c1c;"_s
                              : !unused.isEmpty() ? QString()
                                                  : u"color: #334155;"_s);
}

std::optional<Problem> BoardFilterBar::asOfProblem() const {
    if (m_board != BoardKind::Customer)
        return std::nullopt;
    return BoardPeriod::asOfAfterToday(m_asOf->date(), m_today);
}

Status BoardFilterBar::apply(BoardRequest& request) const {
    const auto p = period();
    if (!p)
        return p.problem();
    request.period = p.value();
    request.asOfDay = m_board == BoardKind::Customer ? m_asOf->date() : QDate();
    request.dimension = m_board == BoardKind::Customer
                            ? m_dimension->tabData(m_dimension->currentIndex()).toString()
                            : QString();
    request.skill = m_board == BoardKind::Coach ? m_skill->currentData().toString() : QString();
    request.search = m_board == BoardKind::Coach || m_board == BoardKind::Customer
                         ? m_search->text().trimmed()
                         : QString();
    request.granularity = m_board == BoardKind::Finance ? m_granularity->currentData().toString() : QString();
    request.rules.clear();
    request.asOfMs.reset();
    if (m_board == BoardKind::RiskOps && m_queueAsOfMode->currentIndex() == 1)
        request.asOfMs = m_queueAsOf->dateTime().toMSecsSinceEpoch();
    if (m_board == BoardKind::RiskOps) {
        request.rules = m_ruleIds;
        request.severity = m_severity->currentData().toString();
        request.targetType = m_targetType->currentData().toString();
        request.reasonCategory = m_reason->text().trimmed();
        request.approver = m_approver->currentData().toString();
    } else {
        request.severity.clear();
        request.targetType.clear();
        request.reasonCategory.clear();
        request.approver.clear();
    }
    // Refused last, with the rest filled in: the page compares the tab asked for with the one shown.
    if (auto asOf = asOfProblem())
        return *asOf;
    if (request.asOfMs && request.nowMs > 0) // the page's clock: the bar reads none
        if (auto future = BoardPeriod::queueInstantAfterNow(*request.asOfMs, request.nowMs))
            return *future;
    return success();
}

QJsonObject BoardFilterBar::state() const {
    QJsonObject s;
    s.insert(u"preset"_s, m_preset->currentData().toString());
    s.insert(u"from"_s, m_from->date().toString(Qt::ISODate));
    s.insert(u"to"_s, m_to->date().toString(Qt::ISODate));
    s.insert(u"month"_s, m_month->date().toString(u"yyyy-MM"_s));
    s.insert(u"dimension"_s, m_dimension->tabData(m_dimension->currentIndex()).toString());
    s.insert(u"skill"_s, m_skill->currentData().toString());
    s.insert(u"search"_s, m_search->text());
    s.insert(u"granularity"_s, m_granularity->currentData().toString());
    s.insert(u"severity"_s, m_severity->currentData().toString());
    s.insert(u"rules"_s, m_ruleIds.join(u','));
    s.insert(u"targetType"_s, m_targetType->currentData().toString());
    s.insert(u"reason"_s, m_reason->text());
    s.insert(u"approver"_s, m_approver->currentData().toString());
    // The as-of day and the queue's instant are not kept: they follow today and now unless the user picks
    // another in this session.
    return s;
}

void BoardFilterBar::restore(const QJsonObject& s) {
    // Start from the board's defaults: nothing of another user's or board's filters carries over.
    fillPresets(false);
    m_from->setDate(m_today.addDays(-29));
    m_to->setDate(m_today);
    m_month->setDate(m_today);
    m_asOf->setDate(m_today);
    m_queueAsOfMode->setCurrentIndex(0);
    m_dimension->setCurrentIndex(0);
    m_skill->setCurrentIndex(0);
    m_granularity->setCurrentIndex(0);
    m_severity->setCurrentIndex(0);
    m_targetType->setCurrentIndex(0);
    for (QLineEdit* edit : {m_search, m_reason})
        edit->clear();
    auto select = [](QComboBox* box, const QString& value) {
        const int i = box->findData(value);
        if (i >= 0)
            box->setCurrentIndex(i);
    };
    select(m_preset, s.value(u"preset"_s).toString());
    const QDate from = QDate::fromString(s.value(u"from"_s).toString(), Qt::ISODate);
    const QDate to = QDate::fromString(s.value(u"to"_s).toString(), Qt::ISODate);
    if (from.isValid() && to.isValid()) {
        m_from->setDate(from);
        m_to->setDate(to);
    }
    const QDate month = QDate::fromString(s.value(u"month"_s).toString(), u"yyyy-MM"_s);
    if (month.isValid())
        m_month->setDate(month);
    for (int i = 0; i < m_dimension->count(); ++i)
        if (m_dimension->tabData(i).toString() == s.value(u"dimension"_s).toString())
            m_dimension->setCurrentIndex(i);
    select(m_skill, s.value(u"skill"_s).toString());
    m_search->setText(s.value(u"search"_s).toString());
    select(m_granularity, s.value(u"granularity"_s).toString());
    select(m_severity, s.value(u"severity"_s).toString());
    m_ruleIds.clear();
    for (const QString& r : s.value(u"rules"_s).toString().split(u',', Qt::SkipEmptyParts))
        if (!r.trimmed().isEmpty() && !m_ruleIds.contains(r.trimmed()))
            m_ruleIds << r.trimmed();
    fillRuleList();
    updateRulesText();
    select(m_targetType, s.value(u"targetType"_s).toString());
    m_reason->setText(s.value(u"reason"_s).toString());
    selectApprover(s.value(u"approver"_s).toString());
    m_announcedDates = dates();
    updateVisibility();
    updateResolved();
}

void BoardFilterBar::emitChanged() {
    Q_EMIT changed();
}

} // namespace riskdesk
