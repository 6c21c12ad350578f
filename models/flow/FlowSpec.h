#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace riskdesk {

// A rule field as the diagram names it: its key and the label people know it by.
struct FlowField {
    QString key;
    QString label;
};

// Everything a rule-flow diagram says, in the user's language: built from a rule payload by FlowSpecBuilder,
// laid out by FlowLayout, drawn by FlowPainter. The JSON form uses the reference's field names.
struct FlowSpec {
    QString title;
    QString domainLabel;
    QString severity; // low, medium, high or critical (anything else is drawn as medium)
    QString severityLabel;
    QList<FlowField> fields;
    QString start;
    QString evidence;
    QString decision;
    QString basis;
    QString passText;
    QString failText;
    QStringList factLines;
    QStringList conditionLines;
    QString hitLogic;
    QStringList conditionIds; // the id each condition line speaks of, for highlighting a case's path

    QJsonObject toJson() const;
};

} // namespace riskdesk
