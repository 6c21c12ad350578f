#pragma once

#include "Session.h"
#include "domain/DirectoryTypes.h"

#include <QWidget>

class QLabel;
class QTableWidget;

namespace riskdesk {

class DatabaseThread;
class FlowDiagramView;

// The tenant's rules with their severity and domain; selecting one draws its flow diagram.
class RuleLibraryPage : public QWidget {
    Q_OBJECT
public:
    explicit RuleLibraryPage(DatabaseThread* database, QWidget* parent = nullptr);

    void setSession(const Session& session);
    QTableWidget* table() const { return m_table; }
    FlowDiagramView* diagram() const { return m_diagram; }

Q_SIGNALS:
    void loaded(); // the rules are listed

private:
    void showRule(int row);

    DatabaseThread* m_database;
    Session m_session;
    QList<Rule> m_rules;
    QTableWidget* m_table;
    QLabel* m_summary;
    FlowDiagramView* m_diagram;
};

} // namespace riskdesk
