#pragma once

#include "domain/DomainTypes.h"

#include <QDialog>

class QLabel;
class QPlainTextEdit;

namespace riskdesk {

class BulkDecisionPlan;

// Confirms a decision on many exceptions at once: how many, how many of each rule, how many an approval only
// takes through the first of two steps, how many will be refused as no longer pending; and, for a rejection,
// the one reason they all get (required, as for a single rejection).
class BulkDecisionDialog : public QDialog {
    Q_OBJECT
public:
    BulkDecisionDialog(DecisionAction action, const BulkDecisionPlan& plan, QWidget* parent = nullptr);

    DecisionAction action() const { return m_action; }
    QString reason() const; // empty for an approval
    void accept() override;

private:
    void addSummary(const BulkDecisionPlan& plan);
    void addReason();
    void addButtons(qint64 count);

    DecisionAction m_action;
    QPlainTextEdit* m_reason = nullptr;
    QLabel* m_error = nullptr;
};

} // namespace riskdesk
