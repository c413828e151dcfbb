// Package loyalty holds the instrument that ships with the program: questions.yaml, embedded
// so that the binary runs with no files beside it.
package loyalty

import _ "embed"

// QuestionsYAML is the embedded questions.yaml. The -questions flag can replace it at run time.
//
//go:embed questions.yaml
var QuestionsYAML []byte

// QuestionsFile is the name used in error messages about the embedded instrument.
const QuestionsFile = "questions.yaml"
