package capacity

import (
	"strconv"
	"strings"
)

// StepError reports an operation the cluster cannot be asked to do: an
// unknown op, a pool that is none of the cluster's, a negative node count.
// It is not a ValidationError: the cluster is valid, the step is not.
type StepError struct {
	// Index is the step's position in Scenario.Steps, or −1 for a single
	// step: Preflight's, or the scale-out Forecast runs.
	Index int `json:"index"`
	// Field is the path of the bad value in the caller's arguments:
	// "Steps[2].Pool" (Simulate), "Step.Nodes" (Preflight), "pool"
	// (Forecast's pool argument).
	Field  string `json:"field"`
	Value  string `json:"value"`  // the value given, quoted when a name
	Reason string `json:"reason"` // what was expected instead
}

func (e *StepError) Error() string {
	return "capacity: " + e.Field + " " + e.Value + ": " + e.Reason
}

// stepPath returns the path of field of step i (−1: Preflight's single
// step).
func stepPath(i int, field string) string {
	if i < 0 {
		return "Step." + field
	}
	return "Steps[" + strconv.Itoa(i) + "]." + field
}

// badOp reports an op that is none of the known ones.
func badOp(i int, op Op) *StepError {
	return &StepError{Index: i, Field: stepPath(i, "Op"), Value: strconv.Itoa(int(op)),
		Reason: "want one of " + strings.Join(opNames.Names[OpCreate:], ", ")}
}

// unknownPool reports a pool name that names none of m's pools; field is
// the path of the name.
func (m *model) unknownPool(i int, field, name string) *StepError {
	const listed = 10
	var b strings.Builder
	b.WriteString("want one of the cluster's pools: ")
	for k := range min(len(m.pools), listed) {
		if k > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Quote(m.pools[k].pool.Name))
	}
	if len(m.pools) > listed {
		b.WriteString(", … (" + strconv.Itoa(len(m.pools)) + " pools)")
	}
	return &StepError{Index: i, Field: field, Value: strconv.Quote(name), Reason: b.String()}
}

// checkStep reports the first bad field of step st at index i (−1 for a
// single step), or nil.
func (m *model) checkStep(i int, st Step) *StepError {
	switch {
	case st.Op < OpCreate || int(st.Op) >= len(opNames.Names):
		return badOp(i, st.Op)
	case st.Op == OpCreate && i > 0:
		return &StepError{Index: i, Field: stepPath(i, "Op"), Value: st.Op.String(), Reason: "create can only be the first step"}
	case st.Op == OpCreate, st.Op == OpUpgrade && st.Pool == "": // az aks upgrade: every pool
		return nil
	case st.Op == OpMigrate || st.Op == OpExpandPodCIDR:
		return m.checkCIDRStep(i, st)
	}
	if _, ok := m.byName[st.Pool]; !ok {
		return m.unknownPool(i, stepPath(i, "Pool"), st.Pool)
	}
	if st.Nodes < 0 {
		return &StepError{Index: i, Field: stepPath(i, "Nodes"), Value: strconv.Itoa(st.Nodes), Reason: "want a node count of 0 or more"}
	}
	if least := max(m.pools[m.byName[st.Pool]].pool.MinCount, 1); st.Op == OpAutoscale && st.Nodes < least {
		return &StepError{Index: i, Field: stepPath(i, "Nodes"), Value: strconv.Itoa(st.Nodes),
			Reason: "want a max count of at least " + strconv.Itoa(least) + ", the pool's min count"}
	}
	return nil
}
