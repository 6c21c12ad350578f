#pragma once

#include "flow/FlowLayout.h"
#include "flow/FlowPainter.h"

#include <QWidget>
#include <optional>

namespace riskdesk {

// A rule's flow diagram, painted natively by the same FlowPainter the exports use: crisp at any zoom and
// device pixel ratio. Fits the window until the user zooms (Ctrl+wheel, Ctrl+plus/minus, Ctrl+0 to fit
// again); drag or the arrow keys pan, and so does the wheel once zoomed (fitted, the wheel scrolls the page).
// Tooltips give the whole text of any shortened line; the context menu exports SVG or PNG. Given an engine
// explanation, it marks the path the case took.
class FlowDiagramView : public QWidget {
    Q_OBJECT
public:
    explicit FlowDiagramView(QWidget* parent = nullptr);

    void setSpec(const FlowSpec& spec, const std::optional<FlowHighlight>& highlight = std::nullopt);
    // Shows what another view shows (the large copy a click opens).
    void showSameAs(const FlowDiagramView& other);
    // A large copy in a dialog of its own (most of the screen), for reading a diagram a panel shows small.
    void openEnlarged(const QString& title);
    void clear();
    // Fitted, the diagram fills the width and the view asks its layout for the height that takes (in a
    // narrow panel, fitting the height too would shrink the text below reading size).
    void setFitsWidth(bool fitsWidth);
    bool isEmpty() const { return !m_layout; }
    const std::optional<FlowLayout>& diagramLayout() const { return m_layout; }
    const std::optional<FlowHighlight>& highlight() const { return m_highlight; }

    qreal scale() const; // canvas pixels to widget pixels
    bool fitted() const { return m_fit; }
    void zoomBy(qreal factor, QPointF anchor);
    void fitToWindow();
    bool exportSvg(const QString& path, QString* problem) const;
    bool exportPng(const QString& path, qreal scale, QString* problem) const;

    QSize sizeHint() const override;
    bool hasHeightForWidth() const override;
    int heightForWidth(int width) const override;

Q_SIGNALS:
    // A click that did not drag.
    void clicked();

protected:
    void paintEvent(QPaintEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;
    bool event(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    FlowPalette palette() const;
    QPointF toCanvas(QPointF widgetPoint) const;
    void clampOffset();
    void updateAccessibleText();

    std::optional<FlowLayout> m_layout;
    std::optional<FlowHighlight> m_highlight;
    bool m_fit = true;
    qreal m_scale = 1;
    QPointF m_offset; // where the canvas origin sits in the widget
    std::optional<QPointF> m_dragFrom;
    QPointF m_pressedAt;
    bool m_dragged = false;
    bool m_fitsWidth = false;
};

} // namespace riskdesk
