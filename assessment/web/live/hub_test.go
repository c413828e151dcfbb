package live

import (
	"errors"
	"testing"
)

// pending reports whether s has a wake-up waiting, taking it.
func pending(s *Sub) bool {
	select {
	case <-s.C:
		return true
	default:
		return false
	}
}

func TestPublishWakesTheRoundsSubscribersOnce(t *testing.T) {
	h := NewHub(Limits{})
	a, _ := h.Subscribe(1, "10.0.0.1")
	b, _ := h.Subscribe(1, "10.0.0.2")
	other, _ := h.Subscribe(2, "10.0.0.1")

	h.Publish(1, 5)
	if !pending(a) || !pending(b) {
		t.Fatalf("after Publish(1, 5): a, b woken = %v, %v; want both", pending(a), pending(b))
	}
	if pending(other) {
		t.Errorf("round 2's subscriber woken by round 1's change")
	}
	// The same revision again (this process's commit, then PostgreSQL's notification of it)
	// and an older one wake no one.
	h.Publish(1, 5)
	h.Publish(1, 4)
	if pending(a) || pending(b) {
		t.Errorf("a revision seen already woke a subscriber")
	}
	if got := h.Revision(1); got != 5 {
		t.Errorf("Revision(1) = %d, want 5", got)
	}
}

// TestASubscriberThatDoesNotReadDelaysNoOne: a thousand changes go out while one subscriber
// never reads; Publish returns every time, the reader sees each change, and the one that did
// not read has one wake-up waiting — the newest state is all its screen needs.
func TestASubscriberThatDoesNotReadDelaysNoOne(t *testing.T) {
	h := NewHub(Limits{})
	stuck, _ := h.Subscribe(1, "a")
	reader, _ := h.Subscribe(1, "b")
	woken := 0
	for rev := int64(1); rev <= 1000; rev++ {
		h.Publish(1, rev)
		if pending(reader) {
			woken++
		}
	}
	if woken != 1000 {
		t.Errorf("reader woken %d times, want 1000", woken)
	}
	if !pending(stuck) || pending(stuck) {
		t.Errorf("the stuck subscriber should have exactly one wake-up pending")
	}
}

func TestLimits(t *testing.T) {
	h := NewHub(Limits{PerAddress: 2, PerTopic: 3})
	s1, err := h.Subscribe(1, "a")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.Subscribe(1, "a"); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		id   int64
		addr string
		want error
	}{
		{"third from one address", 2, "a", ErrTooManyForAddress},
		{"another address, same round", 1, "b", nil},
		{"fourth on round 1", 1, "c", ErrTooManyForTopic},
		{"another round", 2, "c", nil},
	}
	for _, c := range cases {
		if _, err := h.Subscribe(c.id, c.addr); !errors.Is(err, c.want) {
			t.Errorf("%s: Subscribe(%d, %q) = %v, want %v", c.name, c.id, c.addr, err, c.want)
		}
	}
	// Closing one (twice: the second does nothing) frees a place for its address and round.
	s1.Close()
	s1.Close()
	if _, err := h.Subscribe(1, "a"); err != nil {
		t.Errorf("after a close: Subscribe(1, a) = %v, want a place", err)
	}
	if got := h.Streams(); got != 4 {
		t.Errorf("Streams() = %d, want 4", got)
	}
}

func TestShutdownEndsStreamsAndRefusesNewOnes(t *testing.T) {
	h := NewHub(Limits{})
	if _, err := h.Subscribe(1, "a"); err != nil {
		t.Fatal(err)
	}
	h.Shutdown()
	h.Shutdown()
	select {
	case <-h.Done():
	default:
		t.Fatal("Done not closed after Shutdown")
	}
	if _, err := h.Subscribe(1, "a"); !errors.Is(err, ErrClosed) {
		t.Errorf("Subscribe after Shutdown = %v, want ErrClosed", err)
	}
}

// TestWakeAllAfterLostNotifications: after WakeAll every subscriber looks again, and a
// revision seen before counts as new (the round may have changed meanwhile).
func TestWakeAllAfterLostNotifications(t *testing.T) {
	h := NewHub(Limits{})
	a, _ := h.Subscribe(1, "a")
	b, _ := h.Subscribe(2, "b")
	h.Publish(1, 7)
	pending(a)
	h.WakeAll()
	if !pending(a) || !pending(b) {
		t.Fatal("WakeAll did not wake every subscriber")
	}
	h.Publish(1, 7)
	if !pending(a) {
		t.Errorf("after WakeAll, Publish(1, 7) woke no one; want a woken")
	}
}
