#include "EmptyResultsOverlay.h"

#include <QAbstractItemView>
#include <QEvent>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

EmptyResultsOverlay::EmptyResultsOverlay(QAbstractItemView* view)
    : QWidget(view->viewport()), m_viewport(view->viewport()) {
    setObjectName(u"emptyResults"_s);
    auto* layout = new QVBoxLayout(this);
    layout->addStretch(1);
    m_message = new QLabel;
    m_message->setObjectName(u"emptyResultsMessage"_s);
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    QFont larger = m_message->font();
    larger.setPointSizeF(larger.pointSizeF() * 1.2);
    m_message->setFont(larger);
    layout->addWidget(m_message);
    m_clear = new QPushButton(tr("&Clear filters"));
    m_clear->setObjectName(u"clearFiltersButton"_s);
    layout->addWidget(m_clear, 0, Qt::AlignHCenter);
    layout->addStretch(2);
    connect(m_clear, &QPushButton::clicked, this, &EmptyResultsOverlay::clearFiltersRequested);
    m_viewport->installEventFilter(this);
    hide();
}

void EmptyResultsOverlay::showMessage(const QString& message, bool filtersSet) {
    m_message->setText(message);
    m_clear->setVisible(filtersSet);
    setGeometry(m_viewport->rect());
    show();
    raise();
}

QString EmptyResultsOverlay::message() const {
    return isVisible() ? m_message->text() : QString();
}

bool EmptyResultsOverlay::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_viewport && event->type() == QEvent::Resize)
        setGeometry(m_viewport->rect());
    return QWidget::eventFilter(watched, event);
}

} // namespace riskdesk
