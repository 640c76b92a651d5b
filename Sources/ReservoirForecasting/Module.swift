// Forecasting models: in progress.
