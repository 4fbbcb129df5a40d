# R's forecasts for bench/r-compare.ts: forecast::ets, forecast::auto.arima and forecast::thetaf with their
# default settings on every series of one data set, h steps ahead, with 80 % and 95 % intervals.
#
#   Rscript bench/r/forecasts.R <input.csv> <output.csv>
#
# input.csv:  id,m,h,train   (train = the training values separated by ';', oldest first)
# output.csv: id,method,ms,step,mean,lo80,hi80,lo95,hi95   (ms = CPU ms of the fit and forecast, proc.time)
# A method that fails on a series falls back to a naive forecast and is counted in the 'failed' column
# of the bench's table (method name suffixed with '!' here).
suppressPackageStartupMessages(library(forecast))
args <- commandArgs(trailingOnly = TRUE)
input <- read.csv(args[1], stringsAsFactors = FALSE, colClasses = c("character", "numeric", "numeric", "character"))
out <- file(args[2], "w")
writeLines("id,method,ms,step,mean,lo80,hi80,lo95,hi95", out)
methods <- list(
  ets = function(y, h) forecast(ets(y), h = h, level = c(80, 95)),
  auto.arima = function(y, h) forecast(auto.arima(y), h = h, level = c(80, 95)),
  thetaf = function(y, h) thetaf(y, h = h, level = c(80, 95))
)
for (i in seq_len(nrow(input))) {
  y <- ts(as.numeric(strsplit(input$train[i], ";", fixed = TRUE)[[1]]), frequency = input$m[i])
  h <- input$h[i]
  for (name in names(methods)) {
    t0 <- proc.time()
    fc <- tryCatch(methods[[name]](y, h), error = function(e) NULL)
    label <- name
    if (is.null(fc)) {
      fc <- naive(y, h = h, level = c(80, 95))
      label <- paste0(name, "!")
    }
    el <- proc.time() - t0
    ms <- 1000 * (el[["user.self"]] + el[["sys.self"]])
    lines <- sprintf("%s,%s,%.1f,%d,%.10g,%.10g,%.10g,%.10g,%.10g", input$id[i], label, ms, seq_len(h),
      as.numeric(fc$mean), fc$lower[, 1], fc$upper[, 1], fc$lower[, 2], fc$upper[, 2])
    writeLines(lines, out)
  }
}
close(out)
