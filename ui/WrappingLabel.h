#pragma once

#include <QHash>
#include <QLabel>

namespace riskdesk {

// A word-wrapped label that remembers its height for a width. QLabel lays its text out again each time a
// layout asks how tall it is at some width, and a board's layout asks every card and section note several
// times per switch; the answer only changes with the text, the font, the style or the margins (indent, margin
// and text format are set once, when the label is made).
class WrappingLabel : public QLabel {
    Q_OBJECT
public:
    explicit WrappingLabel(QWidget* parent = nullptr);

    int heightForWidth(int width) const override;

protected:
    bool event(QEvent* event) override;

private:
    mutable QString m_measuredText; // the text the heights below are for
    mutable QHash<int, int> m_heightForWidth;
};

} // namespace riskdesk
