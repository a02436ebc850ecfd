#pragma once
// A deliberate violation for structure_layers_bites: a model reaching up into the GUI.
#include "Upper.h"
#include <QNetworkReply>
