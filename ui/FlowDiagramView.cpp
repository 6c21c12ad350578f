#include "FlowDiagramView.h"

#include "SaveFileDialog.h"
#include "flow/FlowExport.h"
#include "store/OverwriteGuard.h"

#include <QApplication>
#include <QContextMenuEvent>
#include <QDialog>
#include <QDialogButtonBox>
#include <QHelpEvent>
#include <QMenu>
#include <QMessageBox>
#include <QPainter>
#include <QSaveFile>
#include <QScreen>
#include <QToolTip>
#include <QVBoxLayout>
#include <QWheelEvent>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

constexpr qreal kMinScale = 0.2, kMaxScale = 6;

} // namespace

FlowDiagramView::FlowDiagramView(QWidget* parent) : QWidget(parent) {
    setObjectName(u"flowDiagram"_s);
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(false);
    setMinimumSize(200, 110);
    setAccessibleName(tr("Rule flow diagram"));
    setToolTip({}); // tooltips come from event(), per line
}

void FlowDiagramView::setSpec(const FlowSpec& spec, const std::optional<FlowHighlight>& highlight) {
    m_layout = FlowLayout::compute(spec);
    m_highlight = highlight;
    m_fit = true;
    updateAccessibleText();
    updateGeometry();
    update();
}

void FlowDiagramView::openEnlarged(const QString& title) {
    if (isEmpty())
        return;
    auto* dialog = new QDialog(this);
    dialog->setObjectName(u"largeFlowDialog"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(title);
    auto* layout = new QVBoxLayout(dialog);
    auto* view = new FlowDiagramView;
    view->setObjectName(u"largeFlow"_s);
    view->showSameAs(*this);
    layout->addWidget(view, 1);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    layout->addWidget(buttons);
    dialog->resize(screen()->availableGeometry().size() * 0.85);
    dialog->open();
    view->setFocus(); // zoom and pan by keyboard at once
}

void FlowDiagramView::showSameAs(const FlowDiagramView& other) {
    m_layout = other.m_layout;
    m_highlight = other.m_highlight;
    m_fit = true;
    updateAccessibleText();
    updateGeometry();
    update();
}

void FlowDiagramView::clear() {
    m_layout.reset();
    m_highlight.reset();
    updateAccessibleText();
    updateGeometry();
    update();
}

void FlowDiagramView::setFitsWidth(bool fitsWidth) {
    m_fitsWidth = fitsWidth;
    QSizePolicy policy = sizePolicy();
    policy.setHeightForWidth(fitsWidth);
    setSizePolicy(policy);
    updateGeometry();
}

QSize FlowDiagramView::sizeHint() const {
    return m_fitsWidth ? QSize(560, heightForWidth(560)) : QSize(560, 240);
}

bool FlowDiagramView::hasHeightForWidth() const {
    return m_fitsWidth;
}

int FlowDiagramView::heightForWidth(int width) const {
    if (!m_fitsWidth || !m_layout)
        return minimumHeight();
    const QSizeF canvas = m_layout->size;
    return std::max(minimumHeight(), int(std::ceil(canvas.height() * width / canvas.width())));
}

FlowPalette FlowDiagramView::palette() const {
    // A dark system theme gets the dark surfaces; the severity's accent stays.
    const bool dark = QWidget::palette().color(QPalette::Window).lightness() < 128;
    return FlowPalette::forSeverity(m_layout ? m_layout->severity : QString(), dark);
}

qreal FlowDiagramView::scale() const {
    if (!m_layout)
        return 1;
    if (!m_fit)
        return m_scale;
    const QSizeF canvas = m_layout->size;
    if (m_fitsWidth)
        return std::clamp(width() / canvas.width(), kMinScale, kMaxScale);
    return std::clamp(std::min(width() / canvas.width(), height() / canvas.height()), kMinScale, kMaxScale);
}

QPointF FlowDiagramView::toCanvas(QPointF p) const {
    const qreal s = scale();
    const QPointF origin = m_fit && m_layout ? QPointF((width() - m_layout->size.width() * s) / 2,
                                                       (height() - m_layout->size.height() * s) / 2)
                                             : m_offset;
    return (p - origin) / s;
}

void FlowDiagramView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    const FlowPalette colours = palette();
    p.fillRect(rect(), colours.background);
    if (!m_layout) {
        p.setPen(colours.muted);
        p.drawText(rect(), Qt::AlignCenter, tr("No rule to draw"));
        return;
    }
    const qreal s = scale();
    if (m_fit)
        p.translate((width() - m_layout->size.width() * s) / 2, (height() - m_layout->size.height() * s) / 2);
    else
        p.translate(m_offset);
    p.scale(s, s);
    FlowPainter::paint(p, *m_layout, colours, m_highlight ? &*m_highlight : nullptr);
    if (hasFocus()) { // where the keyboard is
        p.resetTransform();
        p.setPen(QPen(colours.accent, 1, Qt::DotLine));
        p.drawRect(rect().adjusted(0, 0, -1, -1));
    }
}

void FlowDiagramView::zoomBy(qreal factor, QPointF anchor) {
    if (!m_layout)
        return;
    const QPointF canvasPoint = toCanvas(anchor);
    m_scale = std::clamp(scale() * factor, kMinScale, kMaxScale);
    m_fit = false;
    m_offset = anchor - canvasPoint * m_scale; // the point under the cursor stays put
    clampOffset();
    update();
}

void FlowDiagramView::fitToWindow() {
    m_fit = true;
    update();
}

void FlowDiagramView::clampOffset() {
    if (!m_layout || m_fit)
        return;
    // Keep at least a quarter of the widget showing diagram.
    const QSizeF canvas = m_layout->size * m_scale;
    const qreal marginX = width() * 0.75, marginY = height() * 0.75;
    m_offset.setX(std::clamp(m_offset.x(), -canvas.width() + width() - marginX, marginX));
    m_offset.setY(std::clamp(m_offset.y(), -canvas.height() + height() - marginY, marginY));
}

void FlowDiagramView::wheelEvent(QWheelEvent* event) {
    if (!m_layout)
        return;
    const QPoint delta = event->angleDelta();
    if (event->modifiers() & Qt::ControlModifier) {
        zoomBy(std::pow(1.0015, delta.y()), event->position());
    } else {
        // The whole diagram is on screen: the wheel is the page's. Panning it here slid the diagram out of
        // its frame and left a blank box where the detail panel should have scrolled (helper-80).
        if (m_fit) {
            event->ignore();
            return;
        }
        m_offset += event->modifiers() & Qt::ShiftModifier ? QPointF(delta.y() / 2.0, 0)
                                                           : QPointF(delta.x() / 2.0, delta.y() / 2.0);
        clampOffset();
        update();
    }
    event->accept();
}

void FlowDiagramView::mousePressEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton && m_layout) {
        if (m_fit) {
            m_offset = QPointF((width() - m_layout->size.width() * scale()) / 2,
                               (height() - m_layout->size.height() * scale()) / 2);
            m_scale = scale();
        }
        m_dragFrom = event->position();
        m_pressedAt = event->position();
        m_dragged = false;
    }
    QWidget::mousePressEvent(event);
}

void FlowDiagramView::mouseMoveEvent(QMouseEvent* event) {
    if (m_dragFrom && !m_dragged &&
        (event->position() - m_pressedAt).manhattanLength() < QApplication::startDragDistance())
        return; // a click's small tremor is not a drag
    if (m_dragFrom) {
        m_dragged = true;
        setCursor(Qt::ClosedHandCursor);
        m_fit = false;
        m_offset += event->position() - *m_dragFrom;
        m_dragFrom = event->position();
        clampOffset();
        update();
    }
    QWidget::mouseMoveEvent(event);
}

void FlowDiagramView::mouseReleaseEvent(QMouseEvent* event) {
    const bool click = m_dragFrom && !m_dragged && event->button() == Qt::LeftButton;
    m_dragFrom.reset();
    unsetCursor();
    QWidget::mouseReleaseEvent(event);
    if (click)
        Q_EMIT clicked();
}

void FlowDiagramView::keyPressEvent(QKeyEvent* event) {
    const QPointF centre(width() / 2.0, height() / 2.0);
    const bool ctrl = event->modifiers() & Qt::ControlModifier;
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomBy(1.25, centre);
        return;
    case Qt::Key_Minus:
        zoomBy(0.8, centre);
        return;
    case Qt::Key_0:
        if (ctrl || event->modifiers() == Qt::NoModifier) {
            fitToWindow();
            return;
        }
        break;
    case Qt::Key_Left:
    case Qt::Key_Right:
    case Qt::Key_Up:
    case Qt::Key_Down:
        if (m_layout) {
            if (m_fit) {
                m_offset = QPointF((width() - m_layout->size.width() * scale()) / 2,
                                   (height() - m_layout->size.height() * scale()) / 2);
                m_scale = scale();
                m_fit = false;
            }
            const qreal step = 40;
            m_offset += event->key() == Qt::Key_Left    ? QPointF(step, 0)
                        : event->key() == Qt::Key_Right ? QPointF(-step, 0)
                        : event->key() == Qt::Key_Up    ? QPointF(0, step)
                                                        : QPointF(0, -step);
            clampOffset();
            update();
            return;
        }
        break;
    default:
        break;
    }
    QWidget::keyPressEvent(event);
}

bool FlowDiagramView::exportSvg(const QString& path, QString* problem) const {
    if (!m_layout)
        return false;
    if (Status s = OverwriteGuard::check(path); !s) {
        *problem = s.problem().message;
        return false;
    }
    QSaveFile file(path);
    const QByteArray bytes = FlowExport::svg(*m_layout, palette(), m_highlight ? &*m_highlight : nullptr);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        *problem = tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

bool FlowDiagramView::exportPng(const QString& path, qreal scale, QString* problem) const {
    if (!m_layout)
        return false;
    if (Status s = OverwriteGuard::check(path); !s) {
        *problem = s.problem().message;
        return false;
    }
    QSaveFile file(path);
    const QImage image =
        FlowExport::image(*m_layout, palette(), scale, m_highlight ? &*m_highlight : nullptr);
    if (!file.open(QIODevice::WriteOnly) || !image.save(&file, "PNG") || !file.commit()) {
        *problem = tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

void FlowDiagramView::contextMenuEvent(QContextMenuEvent* event) {
    if (!m_layout)
        return;
    QMenu menu(this);
    menu.addAction(tr("Fit to window"), this, &FlowDiagramView::fitToWindow)->setEnabled(!m_fit);
    menu.addAction(tr("Zoom in"), this, [this] { zoomBy(1.25, QPointF(width() / 2.0, height() / 2.0)); });
    menu.addAction(tr("Zoom out"), this, [this] { zoomBy(0.8, QPointF(width() / 2.0, height() / 2.0)); });
    menu.addSeparator();
    const QString base = m_layout->title.isEmpty() ? u"rule-flow"_s : m_layout->title;
    menu.addAction(tr("Export SVG…"), this, [this, base] {
        const QString path = SaveFileDialog::ask(this, tr("Export the diagram as SVG"), base + u".svg"_s,
                                                 tr("SVG images (*.svg)"), u"svg"_s);
        QString problem;
        if (!path.isEmpty() && !exportSvg(path, &problem))
            QMessageBox::warning(this, tr("Export failed"), problem);
    });
    menu.addAction(tr("Export PNG…"), this, [this, base] {
        const QString path = SaveFileDialog::ask(this, tr("Export the diagram as PNG"), base + u".png"_s,
                                                 tr("PNG images (*.png)"), u"png"_s);
        QString problem;
        if (!path.isEmpty() && !exportPng(path, 2 * devicePixelRatioF(), &problem))
            QMessageBox::warning(this, tr("Export failed"), problem);
    });
    menu.exec(event->globalPos());
}

bool FlowDiagramView::event(QEvent* e) {
    if (e->type() == QEvent::ToolTip && m_layout) {
        auto* help = static_cast<QHelpEvent*>(e);
        const FlowText* t = m_layout->textAt(toCanvas(help->pos()));
        if (t && (t->shortened() || t->conditionIndex >= 0 || t->role == FlowText::Role::Body)) {
            QString tip = t->full;
            if (m_highlight && t->conditionIndex >= 0 &&
                t->conditionIndex < m_highlight->conditionValues.size() &&
                m_highlight->conditionValues.at(t->conditionIndex)) {
                const Truth v = *m_highlight->conditionValues.at(t->conditionIndex);
                tip += u"\n"_s + (v == Truth::True    ? tr("True for this case")
                                  : v == Truth::False ? tr("False for this case")
                                                      : tr("Undecided for this case: facts are missing"));
            }
            QToolTip::showText(help->globalPos(), tip, this);
        } else if (!toolTip().isEmpty()) {
            QToolTip::showText(help->globalPos(), toolTip(), this); // the view's own word, off the texts
        } else {
            QToolTip::hideText();
        }
        return true;
    }
    return QWidget::event(e);
}

void FlowDiagramView::resizeEvent(QResizeEvent* event) {
    clampOffset();
    QWidget::resizeEvent(event);
}

void FlowDiagramView::changeEvent(QEvent* event) {
    if (event->type() == QEvent::PaletteChange)
        update();
    QWidget::changeEvent(event);
}

void FlowDiagramView::updateAccessibleText() {
    if (!m_layout) {
        setAccessibleDescription({});
        return;
    }
    // A screen reader gets the whole diagram as text, in reading order.
    QStringList lines;
    for (const FlowText& t : m_layout->texts)
        if (lines.isEmpty() || lines.last() != t.full)
            lines << t.full;
    setAccessibleName(tr("Rule flow diagram: %1").arg(m_layout->title));
    setAccessibleDescription(lines.join(u'\n'));
}

} // namespace riskdesk
