package coproduce

import "time"

// UK is the time zone of the service's people: dates and times are shown,
// and days counted, in UK time.
var UK = func() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return loc
}()
