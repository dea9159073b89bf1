package capacity

import (
	"strconv"
)

// StepError reports an operation the cluster cannot be asked to do: an
// unknown op, a pool that is none of the cluster's, a negative node count.
// It is not a ValidationError: the cluster is valid, the step is not.
type StepError struct {
	// Index is the step's position in Scenario.Steps, or −1 for a single
	// step: Preflight's, or the scale-out Forecast runs.
	Index int `json:"index"`
	// Field is the Go path of the bad value in the argument that holds it,
	// in the syntax of Problem.Field: within Simulate's Scenario,
	// "Steps[2].Pool"; within the single Step of Preflight, Check and
	// Migrated, named by its type, "Step.Nodes"; Forecast's pool
	// argument, named by its parameter, "pool".
	Field  string `json:"field"`
	Value  string `json:"value"`  // the value given, quoted when a name
	Reason string `json:"reason"` // what was expected instead
}

func (e *StepError) Error() string {
	return "capacity: " + e.Field + " " + e.Value + ": " + e.Reason
}

// stepError reports value, the value at f of step i (−1 for a single
// step), and what was expected instead: the one way a StepError is built.
func stepError(i int, f path, value, reason string) *StepError {
	return &StepError{Index: i, Field: f.String(), Value: value, Reason: reason}
}

// stepOf returns the path of step i: Steps[i] of a Scenario, or Step, the
// single step (−1) of Preflight, Check and Migrated.
func stepOf(i int) path {
	if i < 0 {
		return pathOf("Step")
	}
	return pathOf("Steps").at(i)
}

// badOp reports an op that is none of the known ones.
func badOp(i int, op Op) *StepError {
	return stepError(i, stepOf(i).dot("Op"), strconv.Itoa(int(op)), "want "+opNames.Alternatives())
}

// unknownPool reports a pool name that names none of m's pools; f is the
// path of the name.
func (m *model) unknownPool(i int, f path, name string) *StepError {
	return stepError(i, f, strconv.Quote(name), "want one of the cluster's pools: "+
		namesOf(len(m.pools), func(k int) string { return m.pools[k].pool.Name }, "pools"))
}

// checkStep reports the first bad field of step st at index i (−1 for a
// single step), or nil.
func (m *model) checkStep(i int, st Step) *StepError {
	switch {
	case st.Op < OpCreate || int(st.Op) >= len(opNames.Names):
		return badOp(i, st.Op)
	case st.Op == OpCreate && i > 0:
		return stepError(i, stepOf(i).dot("Op"), st.Op.String(), "create can only be the first step")
	case st.Op == OpCreate, st.Op == OpUpgrade && st.Pool == "": // az aks upgrade: every pool
		return nil
	case st.Op == OpMigrate || st.Op == OpExpandPodCIDR:
		return m.checkCIDRStep(i, st)
	}
	if _, ok := m.byName[st.Pool]; !ok {
		return m.unknownPool(i, stepOf(i).dot("Pool"), st.Pool)
	}
	if st.Nodes < 0 {
		return stepError(i, stepOf(i).dot("Nodes"), strconv.Itoa(st.Nodes), "want a node count of 0 or more")
	}
	if least := max(m.pools[m.byName[st.Pool]].pool.MinCount, 1); st.Op == OpAutoscale && st.Nodes < least {
		return stepError(i, stepOf(i).dot("Nodes"), strconv.Itoa(st.Nodes), "want a max count of at least "+strconv.Itoa(least)+", the pool's min count")
	}
	return nil
}
