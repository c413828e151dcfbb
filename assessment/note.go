package assessment

import (
	"fmt"
	"strconv"
	"time"
)

// MaxNote limits a note, in characters: a few sentences of what the room said.
const MaxNote = 2000

// Note is what the room said about one competency, written down by the consultant while it
// discussed a disagreement. A round has at most one note per competency.
type Note struct {
	RoundID    int64
	Competency int
	Text       string
	UpdatedAt  time.Time
}

// NewNote validates a note. An empty text deletes the note.
func (q *Questionnaire) NewNote(competency int, text string) (Note, error) {
	var problems []FieldError
	if _, ok := q.Competency(competency); !ok {
		problems = append(problems, FieldError{Field: "competency", Rule: RuleChoice,
			Args: Args{"Value": strconv.Itoa(competency), "Allowed": fmt.Sprintf("1-%d", len(q.Competencies))}})
	}
	text, p := CleanMultiline("note", text, MaxNote)
	problems = append(problems, p...)
	if len(problems) > 0 {
		return Note{}, Invalid(problems)
	}
	return Note{Competency: competency, Text: text}, nil
}
