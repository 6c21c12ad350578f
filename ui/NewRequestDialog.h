#pragma once

#include "Session.h"
#include "attach/AttachmentTypes.h"
#include "domain/DirectoryTypes.h"
#include "domain/Result.h"
#include "domain/RiskException.h"

#include <QDialog>
#include <QHash>
#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;

namespace riskdesk {

class DateField;

class DatabaseThread;
class FlowDiagramView;

// An applicant's New request form: target type and id, the rule (with its flow diagram and its terms),
// validity window, reason category, justification and attachments (chosen or dropped; each file's size and
// type checked when it is added). Problems are shown beside the field they name: first the checks that need
// no database (ExceptionValidator::validateRequest), then whatever RequestService finds when filing. The
// database work (rules, files, filing) runs on the database thread.
class NewRequestDialog : public QDialog {
    Q_OBJECT
public:
    NewRequestDialog(DatabaseThread* database, const Session& session, QWidget* parent = nullptr);

    // Adds a file as if chosen or dropped: read and checked on the database thread.
    void addAttachment(const QString& path) { addAttachments({path}); }
    // Adds files chosen or dropped together: every one that can be attached is, and every one refused (or the
    // same content as a file already attached) is named with its reason, all at once.
    void addAttachments(const QStringList& paths);
    int attachmentCount() const { return int(m_attachments.size()); }
    // The problem text shown beside a field ("justification"), empty when none.
    QString errorFor(const QString& field) const;
    bool rulesLoaded() const { return m_rulesLoaded; }
    bool busy() const { return m_busy; }

Q_SIGNALS:
    void filed(const RiskException& exception);
    void rulesReady();
    void attachmentChecked(); // the files added together were accepted or refused
    void filingFailed();      // the attempt ended with problems shown

public Q_SLOTS:
    void accept() override; // files the request; closes only once it is stored

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    QLabel* errorLabel(const QString& field);
    void showProblems(const QList<Problem>& problems);
    void clearProblems();
    void showRule();
    void chooseFiles();
    void removeSelectedAttachment();
    std::optional<Rule> selectedRule() const;

    DatabaseThread* m_database;
    Session m_session;
    QList<Rule> m_rules;
    bool m_rulesLoaded = false;
    bool m_busy = false;
    QList<AttachmentContent> m_attachments;
    QComboBox* m_targetType;
    QLineEdit* m_targetId;
    QComboBox* m_rule;
    QLabel* m_ruleTerms;
    FlowDiagramView* m_diagram;
    DateField* m_start;
    DateField* m_end;
    QComboBox* m_categoryBox;
    QLineEdit* m_category; // the box's own line edit
    QPlainTextEdit* m_justification;
    QListWidget* m_attachmentList;
    QPushButton* m_submit;
    QHash<QString, QLabel*> m_errors; // by field; "" for problems that name none the form shows
    // The visible label of each field ("Justification", "申请理由"), by its wire name: a problem shown beside
    // its field names it as the form does, not as the JSON of the command line does.
    QHash<QString, QString> m_fieldLabels;
    QString inFormTerms(const QString& message) const;
};

} // namespace riskdesk
