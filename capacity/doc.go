// Package capacity answers the questions AKS users otherwise learn from a
// failed upgrade: how many nodes each pool can reach before addresses run
// out, what runs out first, whether AKS accepts a create, scale, upgrade or
// new pool, and what subnet and pod CIDR sizes to use instead.
//
// A Cluster is a plain description: its networking mode, subnets, pod and
// service ranges and node pools. Validate reports every malformed field at
// once, with AKS's error code where AKS has one. Analyze, Preflight and
// Recommend are closed forms over the rules of package modes; Simulate and
// Forecast replay growth through real ipam allocators.
//
// Every figure names its basis. Analyze plans as AKS does, with every
// autoscaled pool at its MaxCount; Cluster.AtCount holds them at their
// Count, the cluster now, and Forecast works on that basis.
//
// # The forecast model
//
// Forecast fits a pool's node-count history (ForecastOptions.History, at
// least 3 observations) with two models and keeps the one under which the
// observed increments are more likely, which with two parameters each is
// the lower AIC: a linear trend with independent Gaussian noise (a busy
// day says nothing of the next) or a random walk with drift (deviations
// persist). Each Monte Carlo trial draws its parameters from their
// posterior given the history (the noise variance from a scaled inverse χ²
// with n−2 degrees of freedom, then the slope, so that the slope is
// Student's t about the fit), simulates the pool's count day by day with
// that model's noise from its Count on the trials' start (the last
// observation's day, or ForecastOptions.Now's when later), and replays it
// through the allocators, new nodes drawing their pods from
// ForecastOptions.Pods, the other pools at their Count. The trial ends at its first failed
// allocation: its date and node count are recorded, with the first date on
// which the pool plus its upgrade surge no longer fits. When and UpgradeBy
// are the 10th, 50th and 90th percentiles of those dates across trials, so
// [P10, P90] is an 80% prediction interval; on synthetic histories of
// either kind it holds the true date in 70–90% of series (the calibration
// test). Dates more than three times the history's span ahead are flagged
// as extrapolations in ForecastResult.Warnings.
//
// Rules cite the keys of ipcap's reference notes, as in package modes.
package capacity
