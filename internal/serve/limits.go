package serve

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// limiterSet keeps a token bucket per key (client address, team). Idle
// buckets are dropped once the set grows, so a flood of addresses cannot
// grow it without bound: a bucket idle for longer than it takes to fill is
// the same as a new one.
type limiterSet struct {
	limit rate.Limit
	burst int

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	lim  *rate.Limiter
	last time.Time
}

// maxBuckets is the size at which idle buckets are swept.
const maxBuckets = 10_000

func newLimiterSet(limit rate.Limit, burst int) *limiterSet {
	if limit <= 0 {
		return nil
	}
	if burst < 1 {
		burst = 1
	}
	return &limiterSet{limit: limit, burst: burst, buckets: map[string]*bucket{}}
}

// allow takes a token from key's bucket; when there is none it returns
// how long until there is.
func (ls *limiterSet) allow(key string, now time.Time) (bool, time.Duration) {
	if ls == nil {
		return true, 0
	}
	ls.mu.Lock()
	defer ls.mu.Unlock()
	b := ls.buckets[key]
	if b == nil {
		if len(ls.buckets) >= maxBuckets {
			ls.sweep(now)
		}
		b = &bucket{lim: rate.NewLimiter(ls.limit, ls.burst)}
		ls.buckets[key] = b
	}
	b.last = now
	r := b.lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// sweep drops buckets that have been idle long enough to be full again.
func (ls *limiterSet) sweep(now time.Time) {
	full := time.Duration(float64(ls.burst) / float64(ls.limit) * float64(time.Second))
	for k, b := range ls.buckets {
		if now.Sub(b.last) > full {
			delete(ls.buckets, k)
		}
	}
}
