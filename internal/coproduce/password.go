package coproduce

import (
	"github.com/alexedwards/argon2id"
)

// Passwords hashes and checks passwords with argon2id. The parameters are
// kept in each hash, so they can be raised later without breaking old ones.
type Passwords struct {
	Params *argon2id.Params
	// dummy is compared against when an account does not exist, so that a
	// wrong email takes as long to answer as a wrong password.
	dummy string
}

// DefaultPasswordParams follow the OWASP recommendation for argon2id
// (19 MiB, two passes), which hashes in tens of milliseconds here.
var DefaultPasswordParams = &argon2id.Params{
	Memory: 19 * 1024, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32,
}

// NewPasswords returns a hasher with the given parameters.
func NewPasswords(p *argon2id.Params) (*Passwords, error) {
	pw := &Passwords{Params: p}
	dummy, err := pw.Hash("not a real password, only for timing")
	if err != nil {
		return nil, err
	}
	pw.dummy = dummy
	return pw, nil
}

// Hash returns the encoded argon2id hash of password.
func (p *Passwords) Hash(password string) (string, error) {
	return argon2id.CreateHash(password, p.Params)
}

// Check reports whether password matches hash. An empty hash (an account
// with no password) never matches, but still takes the usual time.
func (p *Passwords) Check(password, hash string) bool {
	if hash == "" {
		_, _ = argon2id.ComparePasswordAndHash(password, p.dummy)
		return false
	}
	ok, err := argon2id.ComparePasswordAndHash(password, hash)
	return err == nil && ok
}
