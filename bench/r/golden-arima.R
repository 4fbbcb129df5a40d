# Golden vectors for core/forecast/arima.ts and arima-auto.ts: R's forecast::Arima() with fixed orders and
# forecast::auto.arima() (defaults) on public series, written to tests/fixtures/golden/arima-r.json.
# The input series are copied into the file so the tests run without ../shared.
#
#   Rscript bench/r/golden-arima.R [../shared] > tests/fixtures/golden/arima-r.json
suppressPackageStartupMessages(library(forecast))
args <- commandArgs(trailingOnly = TRUE)
shared <- if (length(args) > 0) args[1] else "../shared"
m3 <- read.csv(file.path(shared, "data/m3/m3_monthly_long.csv"), stringsAsFactors = FALSE)
hosp <- read.csv(file.path(shared, "data/hospital_monthly_long.csv"), stringsAsFactors = FALSE)
m3train <- function(id) m3$value[m3$id == id & m3$split == "train"][order(m3$t[m3$id == id & m3$split == "train"])]
# Hospital ids repeat across series: a series is a block of rows whose t restarts at 1.
hospBlock <- cumsum(hosp$t == 1)
hospital <- function(k) hosp$value[hospBlock == k]

num <- function(x) if (length(x) == 0) "[]" else paste0("[", paste(sprintf("%.12g", x), collapse = ","), "]")
obj <- function(...) {
  kv <- list(...)
  paste0("{", paste(sprintf("\"%s\":%s", names(kv), unlist(kv)), collapse = ","), "}")
}
str <- function(s) sprintf("\"%s\"", s)

series <- list(
  airpassengers_log = list(y = as.numeric(log(AirPassengers)), m = 12, source = "log(datasets::AirPassengers)"),
  m3_N1402 = list(y = m3train("N1402"), m = 12, source = "M3 monthly N1402, training part"),
  m3_N1451 = list(y = m3train("N1451"), m = 12, source = "M3 monthly N1451, training part"),
  m3_N1701 = list(y = m3train("N1701"), m = 12, source = "M3 monthly N1701, training part"),
  m3_N2101 = list(y = m3train("N2101"), m = 12, source = "M3 monthly N2101, training part"),
  m3_N2801 = list(y = m3train("N2801"), m = 12, source = "M3 monthly N2801, training part"),
  hospital_1 = list(y = hospital(1), m = 12, source = "hospital series 1 (id TH3, all 84 months)"),
  hospital_100 = list(y = hospital(100), m = 12, source = "hospital series 100 (100th block of t = 1..84 rows, all 84 months)")
)
fixed <- list(
  list(series = "airpassengers_log", order = c(0, 1, 1), seasonal = c(0, 1, 1), drift = FALSE, mean = FALSE),
  list(series = "m3_N1402", order = c(1, 1, 1), seasonal = c(0, 0, 0), drift = TRUE, mean = FALSE),
  list(series = "m3_N1451", order = c(2, 0, 0), seasonal = c(0, 0, 0), drift = FALSE, mean = TRUE),
  list(series = "m3_N1701", order = c(0, 1, 1), seasonal = c(0, 1, 1), drift = FALSE, mean = FALSE),
  list(series = "m3_N2101", order = c(1, 0, 1), seasonal = c(1, 0, 0), drift = FALSE, mean = TRUE),
  list(series = "m3_N2801", order = c(1, 0, 0), seasonal = c(0, 1, 0), drift = TRUE, mean = FALSE),
  list(series = "hospital_1", order = c(1, 0, 0), seasonal = c(0, 0, 0), drift = FALSE, mean = TRUE),
  list(series = "hospital_100", order = c(0, 1, 2), seasonal = c(0, 0, 0), drift = FALSE, mean = FALSE)
)
h <- 12
out <- c()
for (name in names(series)) {
  s <- series[[name]]
  out <- c(out, sprintf("\"series_%s\":%s", name, obj(m = s$m, y = num(s$y), source = str(s$source))))
}
for (f in fixed) {
  y <- ts(series[[f$series]]$y, frequency = series[[f$series]]$m)
  fit <- Arima(y, order = f$order, seasonal = f$seasonal, include.drift = f$drift, include.mean = f$mean)
  fc <- forecast(fit, h = h, level = c(80, 95))
  key <- sprintf("arima_%s_%s_%s%s", f$series, paste(f$order, collapse = ""), paste(f$seasonal, collapse = ""),
    if (f$drift) "_drift" else if (f$mean) "_mean" else "")
  out <- c(out, sprintf("\"%s\":%s", key, obj(
    series = str(f$series), order = num(f$order), seasonal = num(f$seasonal), constant = tolower(f$drift || f$mean),
    coef_names = paste0("[", paste(str(names(coef(fit))), collapse = ","), "]"), coef = num(coef(fit)),
    sigma2 = num(fit$sigma2), loglik = num(fit$loglik), aicc = num(fit$aicc), h = h,
    mean = num(fc$mean), lower80 = num(fc$lower[, 1]), upper80 = num(fc$upper[, 1]),
    lower95 = num(fc$lower[, 2]), upper95 = num(fc$upper[, 2]))))
}
for (name in names(series)) {
  s <- series[[name]]
  fit <- auto.arima(ts(s$y, frequency = s$m))
  a <- fit$arma # p, q, P, Q, m, d, D
  const <- any(names(coef(fit)) %in% c("drift", "intercept"))
  out <- c(out, sprintf("\"auto_%s\":%s", name, obj(
    series = str(name), order = num(c(a[1], a[6], a[2])), seasonal = num(c(a[3], a[7], a[4])), constant = tolower(const),
    ndiffs = num(ndiffs(if (a[7] > 0) diff(ts(s$y, frequency = s$m), lag = s$m) else s$y)),
    nsdiffs = num(nsdiffs(ts(s$y, frequency = s$m))), aicc = num(fit$aicc), model = str(as.character(fit)))))
}
cat(sprintf("{\"about\":\"R %s, forecast %s: Arima() with fixed orders and auto.arima() defaults; made by bench/r/golden-arima.R\",\"results\":{%s}}\n",
  paste(R.version$major, R.version$minor, sep = "."), as.character(packageVersion("forecast")), paste(out, collapse = ",\n")))
