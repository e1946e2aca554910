package main

import (
	"math/rand/v2"
	"testing"
	"time"
)

// The soak's mix follows its weights, and lay partners, who may not have
// the data exports, never draw one.
func TestSoakPickFollowsTheWeights(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, mix := range [][kinds]int{layMix, runnerMix} {
		var got [kinds]int
		const draws = 100_000
		for range draws {
			got[pick(r, mix)]++
		}
		for k := range kinds {
			share := float64(got[k]) / draws * 100
			if mix[k] == 0 && got[k] != 0 || share < float64(mix[k])-1 || share > float64(mix[k])+1 {
				t.Errorf("mix %v: %s drawn %.1f %% of the time, want %d %%", mix, kindNames[k], share, mix[k])
			}
		}
	}
}

// Memory is compared minute by minute: each sample falls in its fifth of
// the soak, the last sample's in the last.
func TestSoakMinutePeaks(t *testing.T) {
	d := 5 * time.Minute
	samples := []rssSample{{30 * time.Second, 10}, {59 * time.Second, 12}, {60 * time.Second, 20}, {119 * time.Second, 25},
		{150 * time.Second, 5}, {200 * time.Second, 7}, {299 * time.Second, 26}, {301 * time.Second, 30}}
	want := [soakMinutes]int64{12, 25, 5, 7, 30}
	if got := minutePeaks(samples, d); got != want {
		t.Errorf("peaks %v, want %v", got, want)
	}
}
