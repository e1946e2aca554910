// Package coproduce holds the domain of the application: people, projects,
// memberships, the seven steps, and the rules about who may do what. It
// imports no database, router or template package, so every other layer can
// depend on it.
package coproduce
