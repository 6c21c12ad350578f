#include "AttachmentView.h"

#include "attach/AttachmentService.h"
#include "attach/AttachmentText.h"

#include <QBuffer>
#include <QCoro/QCoroFuture>
#include <QDesktopServices>
#include <QDir>
#include <QFile>
#include <QHBoxLayout>
#include <QImageReader>
#include <QLabel>
#include <QLocale>
#include <QMimeDatabase>
#include <QPdfDocument>
#include <QPdfPageNavigator>
#include <QPdfPageRenderer>
#include <QPdfView>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPromise>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QThreadPool>
#include <QToolButton>
#include <QVBoxLayout>
#include <QWheelEvent>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

// What the worker thread makes of the bytes: an image or text, ready to show.
struct Decoded {
    QImage image;
    QString text;
    QString encoding;
};

bool readableImage(const QString& mimeType) {
    return QImageReader::supportedMimeTypes().contains(mimeType.toLatin1());
}

// Decoding a large image or text takes a moment: a pool thread does it, the GUI thread awaits the future.
QCoro::Task<Decoded> decodeOffThread(QByteArray bytes, QString mimeType) {
    auto promise = std::make_shared<QPromise<Decoded>>();
    QFuture<Decoded> future = promise->future();
    promise->start();
    QThreadPool::globalInstance()->start([promise, bytes, mimeType] {
        Decoded d;
        if (readableImage(mimeType)) {
            QBuffer buffer;
            buffer.setData(bytes);
            QImageReader reader(&buffer);
            reader.setAutoTransform(true);
            d.image = reader.read();
        } else if (AttachmentText::isText(mimeType)) {
            const AttachmentText::Decoded text = AttachmentText::decode(bytes);
            d.text = text.text;
            d.encoding = AttachmentText::encodingName(text.encoding);
        }
        promise->addResult(d);
        promise->finish();
    });
    co_return co_await future;
}

QString sizeText(qint64 bytes) {
    return QLocale().formattedDataSize(bytes);
}

// A compact button of a tool row: a symbol on its face, its name for the tooltip and screen readers.
QToolButton* toolButton(const QString& face, const QString& name) {
    auto* button = new QToolButton;
    button->setText(face);
    button->setToolTip(name);
    button->setAccessibleName(name);
    button->setAutoRaise(false);
    return button;
}

} // namespace

AttachmentView::AttachmentView(QWidget* parent) : QWidget(parent) {
    setObjectName(u"attachmentView"_s);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_caption = new QLabel;
    m_caption->setObjectName(u"attachmentCaption"_s);
    m_caption->setWordWrap(true);
    m_caption->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_caption);
    m_stack = new QStackedWidget;
    m_emptyPage = new QWidget;
    m_stack->addWidget(m_emptyPage);
    m_stack->addWidget(m_loadingPage = buildLoadingPage());
    m_stack->addWidget(m_failurePage = buildFailurePage());
    m_stack->addWidget(m_imagePage = buildImagePage());
    m_stack->addWidget(m_pdfPage = buildPdfPage());
    m_stack->addWidget(m_textPage = buildTextPage());
    m_stack->addWidget(m_otherPage = buildOtherPage());
    layout->addWidget(m_stack, 1);
    clear();
}

QWidget* AttachmentView::buildLoadingPage() {
    auto* page = new QWidget;
    auto* row = new QHBoxLayout(page);
    m_progress = new QProgressBar;
    m_progress->setObjectName(u"attachmentProgress"_s);
    m_progress->setFormat(tr("Fetching… %p%"));
    row->addWidget(m_progress, 1);
    m_cancel = new QPushButton(tr("Cancel"));
    m_cancel->setObjectName(u"attachmentCancel"_s);
    row->addWidget(m_cancel);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (m_control)
            m_control->cancel();
    });
    return page;
}

QWidget* AttachmentView::buildFailurePage() {
    auto* page = new QWidget;
    auto* column = new QVBoxLayout(page);
    m_failure = new QLabel;
    m_failure->setObjectName(u"attachmentFailure"_s);
    m_failure->setWordWrap(true);
    m_failure->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_failure->setStyleSheet(u"color: #b91c1c;"_s);
    column->addWidget(m_failure);
    m_retry = new QPushButton(tr("Retry"));
    m_retry->setObjectName(u"attachmentRetry"_s);
    column->addWidget(m_retry, 0, Qt::AlignLeft);
    column->addStretch(1);
    connect(m_retry, &QPushButton::clicked, this, [this] { start(true); });
    return page;
}

QWidget* AttachmentView::buildImagePage() {
    auto* page = new QWidget;
    auto* column = new QVBoxLayout(page);
    column->setContentsMargins(0, 0, 0, 0);
    auto* tools = new QHBoxLayout;
    // Short tool buttons, named in full in their tooltips: the row fits a narrow detail panel.
    auto* zoomOut = toolButton(tr("−", "zoom out"), tr("Zoom out (Ctrl+wheel)"));
    zoomOut->setObjectName(u"attachmentZoomOut"_s);
    auto* zoomIn = toolButton(tr("+", "zoom in"), tr("Zoom in (Ctrl+wheel)"));
    zoomIn->setObjectName(u"attachmentZoomIn"_s);
    auto* actual = toolButton(tr("1:1", "actual size"), tr("Actual size"));
    m_zoomLabel = new QLabel;
    tools->addWidget(zoomOut);
    tools->addWidget(zoomIn);
    tools->addWidget(actual);
    tools->addWidget(m_zoomLabel);
    tools->addStretch(1);
    column->addLayout(tools);
    m_imageScroll = new QScrollArea;
    m_imageLabel = new QLabel;
    m_imageLabel->setObjectName(u"attachmentImage"_s);
    m_imageLabel->setAlignment(Qt::AlignCenter);
    m_imageScroll->setWidget(m_imageLabel);
    m_imageScroll->setAlignment(Qt::AlignCenter);
    m_imageScroll->viewport()->installEventFilter(this); // Ctrl+wheel zooms
    column->addWidget(m_imageScroll, 1);
    connect(zoomIn, &QToolButton::clicked, this, [this] { setZoom(m_zoom * 1.25); });
    connect(zoomOut, &QToolButton::clicked, this, [this] { setZoom(m_zoom / 1.25); });
    connect(actual, &QToolButton::clicked, this, [this] { setZoom(1.0); });
    return page;
}

QWidget* AttachmentView::buildPdfPage() {
    auto* page = new QWidget;
    auto* column = new QVBoxLayout(page);
    column->setContentsMargins(0, 0, 0, 0);
    auto* tools = new QHBoxLayout;
    auto* previous = toolButton(tr("‹", "previous page"), tr("Previous page"));
    previous->setObjectName(u"attachmentPdfPrevious"_s);
    auto* next = toolButton(tr("›", "next page"), tr("Next page"));
    next->setObjectName(u"attachmentPdfNext"_s);
    m_pdfPageBox = new QSpinBox;
    m_pdfPageBox->setObjectName(u"attachmentPdfPage"_s);
    m_pdfPageBox->setAccessibleName(tr("Page"));
    m_pdfPages = new QLabel;
    tools->addWidget(previous);
    tools->addWidget(m_pdfPageBox);
    tools->addWidget(m_pdfPages);
    tools->addWidget(next);
    tools->addStretch(1);
    column->addLayout(tools);
    m_pdf = new QPdfDocument(this);
    m_pdfBuffer = new QBuffer(this);
    m_pdfColumn = column; // the view itself comes with the first PDF (pdfView())
    connect(previous, &QToolButton::clicked, this,
            [this] { m_pdfPageBox->setValue(m_pdfPageBox->value() - 1); });
    connect(next, &QToolButton::clicked, this, [this] { m_pdfPageBox->setValue(m_pdfPageBox->value() + 1); });
    connect(m_pdfPageBox, &QSpinBox::valueChanged, this, [this](int shown) {
        if (m_pdf->pageCount() > 0 && pdfView()->pageNavigator()->currentPage() != shown - 1)
            pdfView()->pageNavigator()->jump(shown - 1, {}, pdfView()->pageNavigator()->currentZoom());
    });
    connect(m_pdf, &QPdfDocument::pageCountChanged, this, &AttachmentView::updatePdfPage);
    return page;
}

// Made when the first PDF is shown: a panel that never shows one never starts QPdfView's render thread.
QPdfView* AttachmentView::pdfView() {
    if (m_pdfView)
        return m_pdfView;
    m_pdfView = new QPdfView;
    m_pdfView->setObjectName(u"attachmentPdf"_s);
    m_pdfView->setDocument(m_pdf);
    m_pdfView->setPageMode(QPdfView::PageMode::SinglePage);
    m_pdfView->setZoomMode(QPdfView::ZoomMode::FitToWidth);
    m_pdfColumn->addWidget(m_pdfView, 1);
    connect(m_pdfView->pageNavigator(), &QPdfPageNavigator::currentPageChanged, this,
            &AttachmentView::updatePdfPage);
    return m_pdfView;
}

AttachmentView::~AttachmentView() {
    // Qt 6.4's multi-threaded page renderer never deletes its thread; switching it to single-threaded first
    // does (the view keeps rendering off the GUI thread while it lives).
    if (m_pdfView)
        for (auto* renderer : m_pdfView->findChildren<QPdfPageRenderer*>())
            renderer->setRenderMode(QPdfPageRenderer::RenderMode::SingleThreaded);
}

QWidget* AttachmentView::buildTextPage() {
    auto* page = new QWidget;
    auto* column = new QVBoxLayout(page);
    column->setContentsMargins(0, 0, 0, 0);
    m_text = new QPlainTextEdit;
    m_text->setObjectName(u"attachmentText"_s);
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap); // CSV columns stay aligned
    column->addWidget(m_text, 1);
    return page;
}

QWidget* AttachmentView::buildOtherPage() {
    auto* page = new QWidget;
    auto* column = new QVBoxLayout(page);
    m_otherInfo = new QLabel;
    m_otherInfo->setObjectName(u"attachmentOther"_s);
    m_otherInfo->setWordWrap(true);
    column->addWidget(m_otherInfo);
    m_openWith = new QPushButton(tr("Open with…"));
    m_openWith->setObjectName(u"attachmentOpenWith"_s);
    m_openWith->setToolTip(tr("Open a copy in the application the system uses for this type"));
    column->addWidget(m_openWith, 0, Qt::AlignLeft);
    column->addStretch(1);
    connect(m_openWith, &QPushButton::clicked, this, &AttachmentView::openWithSystem);
    return page;
}

void AttachmentView::setService(AttachmentService* service) {
    m_service = service;
}

void AttachmentView::clear() {
    ++m_generation;
    if (m_control)
        m_control->cancel();
    m_url.clear();
    m_content = {};
    m_error = {};
    m_image = {};
    m_imageLabel->clear();
    m_text->clear();
    m_pdf->close();
    m_caption->clear();
    setMode(Mode::Empty);
}

void AttachmentView::showAttachment(const QString& url) {
    if (url == m_url && m_mode != Mode::Empty)
        return;
    clear();
    if (url.isEmpty())
        return;
    m_url = url;
    start(false);
}

void AttachmentView::start(bool refetch) {
    const quint64 generation = ++m_generation;
    if (m_control)
        m_control->cancel();
    m_error = {};
    if (!m_service) {
        finish(generation, AttachmentResult{{}, {AttachmentError::Kind::NotCached, {}}, 0});
        return;
    }
    delete m_control;
    m_control = new AttachmentFetchControl(this);
    m_progress->setRange(0, 0); // busy until the size is known
    connect(m_control, &AttachmentFetchControl::progress, m_progress, [this](qint64 received, qint64 total) {
        if (total > 0) {
            m_progress->setRange(0, 1000);
            m_progress->setValue(int(received * 1000 / total));
        }
        m_progress->setToolTip(tr("%1 received").arg(sizeText(received)));
    });
    m_caption->setText(QUrl(m_url).fileName().toHtmlEscaped());
    setMode(Mode::Loading);
    QCoro::connect(m_service->load(m_url, m_control, refetch), this,
                   [this, generation](const AttachmentResult& result) { finish(generation, result); });
}

void AttachmentView::finish(quint64 generation, const AttachmentResult& result) {
    if (generation != m_generation)
        return; // another attachment is on screen by now
    if (!result.ok()) {
        showFailure(result.error);
        return;
    }
    m_content = result.content;
    updateCaption();
    if (m_content.mimeType == u"application/pdf") {
        pdfView();
        m_pdf->close();
        m_pdfBuffer->close();
        m_pdfBuffer->setData(m_content.bytes);
        m_pdfBuffer->open(QIODevice::ReadOnly);
        m_pdf->load(m_pdfBuffer);
        if (m_pdf->status() == QPdfDocument::Status::Error) {
            setMode(Mode::Other);
        } else {
            updatePdfPage();
            setMode(Mode::Pdf);
        }
        Q_EMIT settled();
        return;
    }
    if (!readableImage(m_content.mimeType) && !AttachmentText::isText(m_content.mimeType)) {
        present(generation, {}, {}, {});
        return;
    }
    QCoro::connect(
        decodeOffThread(m_content.bytes, m_content.mimeType), this,
        [this, generation](const Decoded& d) { present(generation, d.image, d.text, d.encoding); });
}

void AttachmentView::present(quint64 generation, const QImage& image, const QString& text,
                             const QString& encoding) {
    if (generation != m_generation)
        return;
    if (!image.isNull()) {
        m_image = image;
        // Fit the panel's width at first; the zoom buttons and Ctrl+wheel take it from there.
        const int room = std::max(100, m_imageScroll->viewport()->width() - 4);
        setZoom(image.width() > room ? double(room) / image.width() : 1.0);
        setMode(Mode::Image);
    } else if (!encoding.isEmpty()) {
        m_text->setPlainText(text);
        m_caption->setText(m_caption->text() + tr(" · %1").arg(encoding));
        setMode(Mode::Text);
    } else {
        m_otherInfo->setText(tr("%1\nType: %2\nSize: %3")
                                 .arg(m_content.fileName.isEmpty() ? tr("(no name)") : m_content.fileName,
                                      QMimeDatabase().mimeTypeForName(m_content.mimeType).comment(),
                                      sizeText(m_content.bytes.size())));
        setMode(Mode::Other);
    }
    Q_EMIT settled();
}

void AttachmentView::showFailure(const AttachmentError& error) {
    m_error = error;
    m_failure->setText(error.message());
    setMode(Mode::Failed);
    Q_EMIT settled();
}

void AttachmentView::updateCaption() {
    const QString type = QMimeDatabase().mimeTypeForName(m_content.mimeType).comment();
    QString caption = tr("%1 · %2 · %3")
                          .arg(m_content.fileName.isEmpty() ? tr("(no name)") : m_content.fileName, type,
                               sizeText(m_content.bytes.size()));
    if (m_content.fromCache)
        caption += tr(" · kept in this workspace");
    m_caption->setText(caption.toHtmlEscaped());
    m_caption->setToolTip(tr("SHA-256 %1").arg(QString::fromLatin1(m_content.sha256)));
}

void AttachmentView::setMode(Mode mode) {
    m_mode = mode;
    QWidget* pages[] = {m_emptyPage, m_loadingPage, m_failurePage, m_imagePage,
                        m_pdfPage,   m_textPage,    m_otherPage};
    m_stack->setCurrentWidget(pages[int(mode)]);
    m_stack->setVisible(mode != Mode::Empty);
    // A stack is as wide as its widest page: the hidden pages' tool rows would widen the detail panel past a
    // narrow window (a sideways scroll bar for every exception). Only the page shown asks for room.
    for (QWidget* page : pages) {
        const auto policy = page == pages[int(mode)] ? QSizePolicy::Preferred : QSizePolicy::Ignored;
        page->setSizePolicy(policy, policy);
    }
}

void AttachmentView::setZoom(double zoom) {
    if (m_image.isNull())
        return;
    m_zoom = std::clamp(zoom, 0.05, 8.0);
    const QSize size = (QSizeF(m_image.size()) * m_zoom).toSize().expandedTo({1, 1});
    m_imageLabel->setPixmap(
        QPixmap::fromImage(m_image.scaled(size, Qt::KeepAspectRatio, Qt::SmoothTransformation)));
    m_imageLabel->resize(size);
    m_zoomLabel->setText(tr("%1%").arg(qRound(m_zoom * 100)));
}

bool AttachmentView::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_imageScroll->viewport() && event->type() == QEvent::Wheel) {
        auto* wheel = static_cast<QWheelEvent*>(event);
        if (wheel->modifiers() & Qt::ControlModifier) {
            setZoom(wheel->angleDelta().y() > 0 ? m_zoom * 1.25 : m_zoom / 1.25);
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void AttachmentView::updatePdfPage() {
    const int pages = m_pdf->pageCount();
    m_pdfPageBox->setRange(pages > 0 ? 1 : 0, pages);
    m_pdfPageBox->setValue(m_pdfView ? m_pdfView->pageNavigator()->currentPage() + 1 : (pages > 0 ? 1 : 0));
    m_pdfPages->setText(tr("of %1").arg(pages));
}

void AttachmentView::openWithSystem() {
    // A copy named as the attachment, in a folder per content, so the opened file is what the cache holds.
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::TempLocation) +
                        u"/riskdesk-attachments/"_s + QString::fromLatin1(m_content.sha256.left(16));
    QString name = m_content.fileName;
    name.replace(u'/', u'_').replace(u'\\', u'_');
    if (name.isEmpty() || name.startsWith(u'.'))
        name.prepend(u"attachment"_s);
    const QString path = dir + u'/' + name;
    QFile file(path);
    if (!QDir().mkpath(dir) || !file.open(QIODevice::WriteOnly) ||
        file.write(m_content.bytes) != m_content.bytes.size()) {
        m_otherInfo->setText(tr("Could not write a copy to %1: %2").arg(path, file.errorString()));
        return;
    }
    file.close();
    if (!QDesktopServices::openUrl(QUrl::fromLocalFile(path)))
        m_otherInfo->setText(tr("No application is set up to open %1.").arg(path));
}

} // namespace riskdesk
