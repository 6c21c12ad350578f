#pragma once

#include <QWidget>

class QAbstractItemView;
class QLabel;
class QPushButton;

namespace riskdesk {

// Says "nothing matches" where the rows would be, over a table's empty viewport, with a button that clears
// the filters: a blank table with a grey line under it reads as "still loading" or "broken".
class EmptyResultsOverlay : public QWidget {
    Q_OBJECT
public:
    explicit EmptyResultsOverlay(QAbstractItemView* view);

    // Shown with this message over the view until hide(); the button only when some filter is set.
    void showMessage(const QString& message, bool filtersSet);
    QString message() const;

Q_SIGNALS:
    void clearFiltersRequested();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QWidget* m_viewport;
    QLabel* m_message;
    QPushButton* m_clear;
};

} // namespace riskdesk
