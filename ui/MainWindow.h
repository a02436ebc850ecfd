#pragma once

#include <QMainWindow>

namespace rbac {

class Workspace;

class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(Workspace* workspace, QWidget* parent = nullptr);

private:
    Workspace* m_workspace;
};

} // namespace rbac
