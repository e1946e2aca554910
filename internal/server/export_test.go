package server

import "time"

// IdeasFreshForTests is how long a test waits for the project page's
// shared parts to be read again.
const IdeasFreshForTests = ideasFresh + 100*time.Millisecond
