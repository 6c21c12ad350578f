#pragma once

#include <QByteArray>
#include <QString>

namespace riskdesk {

// Text attachments as people send them here: UTF-8 (with or without a byte-order mark); UTF-16, as Windows
// tools save "Unicode" text (with a byte-order mark, or without one when the text is mostly Latin and every
// other byte is zero); or, from older Chinese systems, GB18030. Bytes that are not valid UTF-8 are read as
// GB18030.
class AttachmentText {
public:
    enum class Encoding { Utf8, Utf16Le, Utf16Be, Gb18030 };
    struct Decoded {
        QString text;
        Encoding encoding = Encoding::Utf8;
        bool clean = true; // false when even GB18030 met bytes it could not read (shown as U+FFFD)
    };
    static Decoded decode(const QByteArray& bytes);
    // Whether bytes Qt's quick look took for binary are text all the same: they decode cleanly, and hold no
    // control character but tab, line breaks, form feed and escape (printed reports, coloured logs).
    static bool readsAsText(const QByteArray& bytes);
    static QString encodingName(Encoding encoding);
    // Whether a detected type is shown as text (text/*, CSV, JSON, XML…).
    static bool isText(const QString& mimeType);
};

} // namespace riskdesk
