#pragma once

#include <QObject>

namespace riskdesk {

// The viewer's handle on one running fetch: progress comes out, a cancel goes in. Owned by the viewer; the
// fetch holds it through a QPointer, so a closed viewer simply stops hearing about it.
class AttachmentFetchControl : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

    void cancel() { Q_EMIT cancelRequested(); }

Q_SIGNALS:
    void progress(qint64 received, qint64 total); // total is -1 while unknown
    void cancelRequested();
};

} // namespace riskdesk
