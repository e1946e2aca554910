// Package main is a program for the vulndb test to scan: it calls
// fmt.Println, the function the test's made-up vulnerability is in.
package main

import "fmt"

func main() {
	fmt.Println("hello")
}
