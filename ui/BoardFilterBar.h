#pragma once

#include "boards/BoardRequest.h"
#include "boards/BoardScope.h"
#include "boards/SkillBoard.h"
#include "domain/Result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QWidget>
#include <functional>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QTabBar;
class QToolButton;

namespace riskdesk {

class DateField;

// The filters of one board (spec §2.2, §4.2, §5.2, §6.1, §9.4): the period with every preset and its resolved
// dates always shown, a custom range, the salary-month picker (BOARD-1), the as-of day and the dimension tabs
// (BOARD-2), skill (BOARD-1), search, the trend's granularity (BOARD-3) and BOARD-4's own filters. It knows
// "today" (the site's business day) but never reads the clock. Its state round-trips through JSON, which the
// page keeps per user and board.
class BoardFilterBar : public QWidget {
    Q_OBJECT
public:
    explicit BoardFilterBar(QWidget* parent = nullptr);
    ~BoardFilterBar() override;

    // Shows the filters of this board on this business day; skills: the site's enabled skill types.
    void configure(BoardKind board, const QDate& today, const QList<SkillType>& skills);
    BoardKind board() const { return m_board; }

    // Writes the filters into the request; refused with a message naming the field (a custom range that is
    // backwards or too long, an as-of day after today, a queue time after request.nowMs when that is set).
    Status apply(BoardRequest& request) const;
    // The clock "A time…" starts from (the page's, which a test fixes); the present by default.
    void setClock(std::function<QDateTime()> clock) { m_clock = std::move(clock); }
    // The period the filters resolve to, or nothing (BOARD-2's default, or an invalid custom range).
    Result<BoardPeriod> period() const;
    // "This month (2026-05-01 ~ 2026-05-20)": always next to the preset.
    QString resolvedText() const;

    // BOARD-4's choices: the tenant's rules (id, name), approvers (user id, display name) and the reason
    // categories its exceptions have (offered as the reason field is typed in). What is chosen stays chosen,
    // also an id that is not among them (a saved filter is never dropped silently).
    void setChoices(const QList<std::pair<QString, QString>>& rules,
                    const QList<std::pair<QString, QString>>& approvers, const QStringList& reasonCategories);

    QJsonObject state() const;
    // Restores a saved state; anything unknown or out of range keeps its default.
    void restore(const QJsonObject& state);

    QComboBox* presetBox() const { return m_preset; }
    QTabBar* dimensionTabs() const { return m_dimension; }
    QLineEdit* searchBox() const { return m_search; }
    QComboBox* queueAsOfModeBox() const { return m_queueAsOfMode; }
    DateField* queueAsOfBox() const { return m_queueAsOf; }
    QComboBox* skillBox() const { return m_skill; }
    QLabel* resolvedLabel() const { return m_resolved; }
    QToolButton* rulesButton() const { return m_rules; }
    QListWidget* ruleList() const { return m_ruleList; }
    QComboBox* approverBox() const { return m_approver; }
    // The comparison the board shown used ("PoP 2026-11-01 ~ 2026-11-03"), which follows the loaded days and
    // so is known only once the board is computed; the resolved dates' tooltip until the filters change.
    // Empty: the period's own comparison (a board or tab that compares no period).
    void setComparison(const QString& text);

Q_SIGNALS:
    // Any filter changed (search: when the text is confirmed).
    void changed();

private:
    void fillPresets(bool keepCurrent);
    void updateVisibility();
    void updateResolved();
    // Why the period does not count on the board or tab shown (BOARD-2's snapshot tabs), or nothing.
    QString unusedPeriodReason() const;
    // An as-of day after today (BOARD-2), which the date edit keeps as typed.
    std::optional<Problem> asOfProblem() const;
    void emitChanged();
    QList<QDate> dates() const; // the four date fields' days, as m_announcedDates holds them
    void fillRuleList();
    void takeRuleSelection(); // the list's checked rules become the filter; changed() if they differ
    void updateRulesText();
    void selectApprover(const QString& id);

    BoardKind m_board = BoardKind::Finance;
    QDate m_today;
    QLabel* m_periodLabel;
    QComboBox* m_preset;
    DateField* m_from;
    DateField* m_to;
    DateField* m_month;
    QLabel* m_resolved;
    QLabel* m_asOfLabel;
    DateField* m_asOf;
    QList<QDate> m_announcedDates; // the date fields' days when a change was last announced (or set)
    QLabel* m_queueAsOfLabel;
    QComboBox* m_queueAsOfMode; // now, or the time in m_queueAsOf
    DateField* m_queueAsOf;
    std::function<QDateTime()> m_clock = [] { return QDateTime::currentDateTimeUtc(); };
    QDateTime m_shownQueueAsOf; // what the last change announced (editingFinished also fires on leaving)
    QTabBar* m_dimension;
    QLabel* m_skillLabel;
    QComboBox* m_skill;
    QLineEdit* m_search;
    QLabel* m_granularityLabel;
    QComboBox* m_granularity;
    QComboBox* m_severity;
    QToolButton* m_rules; // opens a list of the tenant's rules to check (spec §9.4: a multiple choice)
    QListWidget* m_ruleList;
    QStringList m_ruleIds; // the rules chosen, in the list's order
    QList<std::pair<QString, QString>> m_ruleChoices;
    QComboBox* m_targetType;
    QLineEdit* m_reason;
    QComboBox* m_approver;
};

} // namespace riskdesk
