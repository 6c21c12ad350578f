#pragma once

#include "domain/DomainTypes.h"
#include "domain/ExceptionDecision.h"

#include <QDialog>

class QLabel;
class QPlainTextEdit;

namespace riskdesk {

class BulkDecisionPlan;

// Confirms a decision on many exceptions at once: how many, how many of each rule, how many an approval only
// takes through the first of two steps, how many the rules will refuse and why (when that is all of them,
// there is nothing to confirm); and, for a rejection, the one reason they all get (required, as for a single
// rejection).
class BulkDecisionDialog : public QDialog {
    Q_OBJECT
public:
    BulkDecisionDialog(DecisionAction action, const BulkDecisionPlan& plan, QWidget* parent = nullptr);

    DecisionAction action() const { return m_action; }
    QString reason() const;
    // Whether it asks for a reason (a rejection of which the rules refuse not all).
    bool asksReason() const { return m_reason != nullptr; } // empty for an approval
    // The reason as typed, and one typed before and cancelled (Esc): the caller keeps it, as for one
    // rejection.
    QString typedText() const;
    void restoreDraft(const QString& text);
    void accept() override;

private:
    void addSummary(const BulkDecisionPlan& plan);
    void addReason();
    void addForeseenRefusals(const BulkDecisionPlan& plan);
    void addButtons(qint64 count);
    // One line of the foretold refusals: how many, and why in the approver's terms.
    static QString foreseen(RefusalCode code, qint64 count);

    DecisionAction m_action;
    QPlainTextEdit* m_reason = nullptr;
    QLabel* m_error = nullptr;
    bool m_nothingToDo = false; // the rules refuse every one of them
};

} // namespace riskdesk
