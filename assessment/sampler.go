package assessment

import (
	crand "crypto/rand"
	"encoding/binary"
	"math"
	"sync"
)

// This file draws the benchmark's noise exactly. Sampler turns uniform random 64-bit words into
// discrete Laplace draws with integer arithmetic only, by the algorithms of Canonne, Kamath
// and Steinke ("The Discrete Gaussian for Differential Privacy", NeurIPS 2020, algorithms 1
// and 2): no floating-point number is computed, rounded or inverted on the way, so the
// distribution drawn is exactly the one the privacy analysis assumes, and the published value
// (exact value plus whole steps) carries nothing in its low bits. Google's differential-privacy
// library avoids the same floating-point flaw by drawing on a grid, too.

// RandomBits is where a Sampler's randomness comes from: uniform 64-bit words. A *rand.Rand
// of math/rand/v2 satisfies it (tests, seeded); production reads crypto/rand (CryptoNoise).
type RandomBits interface {
	Uint64() uint64
}

// Sampler draws noise exactly from random bits. It is safe for concurrent use.
type Sampler struct {
	mu   sync.Mutex
	bits RandomBits
}

// NewSampler returns a sampler drawing from bits. A source that always returns 0 draws no
// noise at all (every draw is 0).
func NewSampler(bits RandomBits) *Sampler { return &Sampler{bits: bits} }

// CryptoNoise returns the production noise: a Sampler on crypto/rand.
func CryptoNoise() *Sampler { return NewSampler(&cryptoBits{}) }

// cryptoBits reads crypto/rand a block at a time.
type cryptoBits struct {
	buf [4096]byte
	n   int // bytes of buf used
}

func (c *cryptoBits) Uint64() uint64 {
	if c.n == 0 || c.n+8 > len(c.buf) {
		// crypto/rand.Read never fails (it crashes the program rather than return
		// predictable bytes).
		_, _ = crand.Read(c.buf[:])
		c.n = 0
	}
	v := binary.LittleEndian.Uint64(c.buf[c.n:])
	c.n += 8
	return v
}

// DiscreteLaplace draws an integer k with probability ∝ exp(−|k|/b), exactly (CKS20,
// algorithm 2): X = U + t·V with U uniform on [0, t) accepted with probability exp(−U/t) and V
// geometric, so that X is geometric with parameter exp(−1/t); ⌊X/s⌋ is then geometric with
// parameter exp(−s/t) = exp(−1/b), and a fair sign (rejecting −0) makes it two-sided. A scale
// of 0 draws 0 without consuming anything.
func (s *Sampler) DiscreteLaplace(b NoiseScale) int64 {
	if b.Num <= 0 || b.Den <= 0 {
		return 0
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, d := uint64(b.Num), uint64(b.Den)
	for {
		u := s.uniform(t)
		if !s.bernoulliExp(u, t) {
			continue
		}
		v := uint64(0)
		for s.bernoulliExp(1, 1) {
			v++
		}
		x := (u + t*v) / d
		negative := s.bernoulli(1, 2)
		if negative && x == 0 {
			continue
		}
		if x > math.MaxInt64 {
			continue // beyond any use; probability below exp(−2⁶³/b)
		}
		if negative {
			return -int64(x)
		}
		return int64(x)
	}
}

// uniform draws uniformly from [0, n) by rejection, so that no value is more likely than
// another (n > 0).
func (s *Sampler) uniform(n uint64) uint64 {
	// limit is the largest multiple of n that fits: words at or above it are rejected.
	limit := math.MaxUint64 - math.MaxUint64%n
	for {
		if w := s.bits.Uint64(); w < limit {
			return w % n
		}
	}
}

// bernoulli is true with probability num/den (0 ≤ num ≤ den). It is true for the num largest
// of den equally likely values, so that a source of zeros gives false unless num = den.
func (s *Sampler) bernoulli(num, den uint64) bool {
	return s.uniform(den) >= den-num
}

// bernoulliExp is true with probability exp(−num/den) (CKS20, algorithm 1): for γ = num/den
// ≤ 1, count K while Bernoulli(γ/K) succeeds; the result is whether K is odd. A larger γ is
// taken one exp(−1) at a time.
func (s *Sampler) bernoulliExp(num, den uint64) bool {
	for num > den {
		if !s.bernoulliExp(1, 1) {
			return false
		}
		num -= den
	}
	// K passes k with probability γ^k/k!: den·k cannot overflow in practice.
	k := uint64(1)
	for s.bernoulli(num, den*k) {
		k++
	}
	return k%2 == 1
}
