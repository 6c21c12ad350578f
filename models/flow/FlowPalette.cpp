#include "FlowPalette.h"

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

FlowPalette FlowPalette::forSeverity(const QString& severity, bool dark) {
    struct Accent {
        const char* accent;
        const char* accentDark;
        const char* border;
        const char* surface;
        const char* darkSurface;
    };
    const QString s = severity.trimmed().toLower();
    const Accent a = s == u"low"        ? Accent{"#2563eb", "#1d4ed8", "#bfdbfe", "#eff6ff", "#172554"}
                     : s == u"high"     ? Accent{"#dc2626", "#b91c1c", "#fecaca", "#fef2f2", "#450a0a"}
                     : s == u"critical" ? Accent{"#991b1b", "#7f1d1d", "#fca5a5", "#fff1f2", "#4c0519"}
                                        : Accent{"#f97316", "#c2410c", "#fed7aa", "#fff7ed", "#431407"};
    FlowPalette p;
    p.accent = QColor(QLatin1StringView(a.accent));
    if (!dark) {
        p.accentDark = QColor(QLatin1StringView(a.accentDark));
        p.border = QColor(QLatin1StringView(a.border));
        p.surface = QColor(QLatin1StringView(a.surface));
        p.text = QColor(u"#0d0d0d"_s);
        p.muted = QColor(u"#6e6e80"_s);
        p.line = QColor(u"#cbd5e1"_s);
        p.neutralBorder = QColor(u"#e2e8f0"_s);
        p.neutralSurface = QColor(u"#ffffff"_s);
        p.background = QColor(u"#ffffff"_s);
        p.passMark = QColor(u"#15803d"_s);
    } else {
        // On dark surfaces the darker accent would vanish; labels use the lighter border tone instead.
        p.accentDark = QColor(QLatin1StringView(a.border));
        p.border = p.accent;
        p.surface = QColor(QLatin1StringView(a.darkSurface));
        p.text = QColor(u"#f1f5f9"_s);
        p.muted = QColor(u"#a1a1b5"_s);
        p.line = QColor(u"#64748b"_s);
        p.neutralBorder = QColor(u"#475569"_s);
        p.neutralSurface = QColor(u"#1e293b"_s);
        p.background = QColor(u"#0f172a"_s);
        p.passMark = QColor(u"#4ade80"_s);
    }
    return p;
}

} // namespace riskdesk
