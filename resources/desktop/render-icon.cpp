// Build tool: renders the application's SVG icon to the PNG sizes an icon theme wants, so that the PNGs can
// never drift from the SVG.   render-icon ICON.svg OUT.png SIZE
#include <QImage>
#include <QPainter>
#include <QString>
#include <QSvgRenderer>
#include <QTextStream>

int main(int argc, char** argv) {
    QTextStream err(stderr);
    if (argc != 4) {
        err << "usage: render-icon ICON.svg OUT.png SIZE" << Qt::endl;
        return 2;
    }
    const QString svg = QString::fromLocal8Bit(argv[1]);
    const QString png = QString::fromLocal8Bit(argv[2]);
    bool ok = false;
    const int size = QString::fromLocal8Bit(argv[3]).toInt(&ok);
    QSvgRenderer renderer(svg);
    if (!renderer.isValid() || !ok || size < 16 || size > 1024) {
        err << "render-icon: cannot render " << svg << " at size " << argv[3] << Qt::endl;
        return 1;
    }
    QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    renderer.render(&painter);
    painter.end();
    if (!image.save(png, "PNG")) {
        err << "render-icon: cannot write " << png << Qt::endl;
        return 1;
    }
    return 0;
}
