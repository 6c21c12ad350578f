#pragma once

#include "attach/AttachmentFetchControl.h"
#include "attach/AttachmentTypes.h"

#include <QImage>
#include <QPointer>
#include <QWidget>

class QLabel;
class QPdfDocument;
class QPdfView;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QScrollArea;
class QSpinBox;
class QStackedWidget;
class QBuffer;
class QVBoxLayout;

namespace riskdesk {

class AttachmentService;

// An exception's attachment shown in place: an image (zoomable), a PDF (page by page), text or CSV
// (read-only, UTF-8 or GB18030), or for anything else its name, type and size with "Open with…". Fetching and
// decoding run off the GUI thread; while fetching it shows progress and a cancel button, after a failure its
// message and a retry.
class AttachmentView : public QWidget {
    Q_OBJECT
public:
    enum class Mode { Empty, Loading, Failed, Image, Pdf, Text, Other };

    explicit AttachmentView(QWidget* parent = nullptr);
    ~AttachmentView() override;

    void setService(AttachmentService* service);
    // Shows what url names (an exception's attachment_url); the same url again keeps what is shown.
    void showAttachment(const QString& url);
    void clear();

    Mode mode() const { return m_mode; }
    const AttachmentContent& content() const { return m_content; }
    const AttachmentError& error() const { return m_error; }
    double zoom() const { return m_zoom; }
    void setZoom(double zoom);

Q_SIGNALS:
    void settled(); // a load ended: the attachment is shown, or why not

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void start(bool refetch);
    void finish(quint64 generation, const AttachmentResult& result);
    void present(quint64 generation, const QImage& image, const QString& text, const QString& encoding);
    void setMode(Mode mode);
    void showFailure(const AttachmentError& error);
    void updateCaption();
    void updatePdfPage();
    QPdfView* pdfView();
    void openWithSystem();
    QWidget* buildLoadingPage();
    QWidget* buildFailurePage();
    QWidget* buildImagePage();
    QWidget* buildPdfPage();
    QWidget* buildTextPage();
    QWidget* buildOtherPage();

    QPointer<AttachmentService> m_service;
    QString m_url;
    quint64 m_generation = 0; // a result for an older generation is dropped
    QPointer<AttachmentFetchControl> m_control;
    Mode m_mode = Mode::Empty;
    AttachmentContent m_content;
    AttachmentError m_error;
    QImage m_image;
    double m_zoom = 1.0;

    QLabel* m_caption;
    QStackedWidget* m_stack;
    QWidget* m_emptyPage;
    QWidget* m_loadingPage;
    QProgressBar* m_progress;
    QPushButton* m_cancel;
    QWidget* m_failurePage;
    QLabel* m_failure;
    QPushButton* m_retry;
    QWidget* m_imagePage;
    QScrollArea* m_imageScroll;
    QLabel* m_imageLabel;
    QLabel* m_zoomLabel;
    QWidget* m_pdfPage;
    QPdfDocument* m_pdf;
    QBuffer* m_pdfBuffer;
    QPdfView* m_pdfView = nullptr; // made for the first PDF shown (pdfView())
    QVBoxLayout* m_pdfColumn = nullptr;
    QSpinBox* m_pdfPageBox;
    QLabel* m_pdfPages;
    QWidget* m_textPage;
    QPlainTextEdit* m_text;
    QWidget* m_otherPage;
    QLabel* m_otherInfo;
    QPushButton* m_openWith;
};

} // namespace riskdesk
