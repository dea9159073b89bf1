package modes

import (
	"errors"
	"testing"

	"github.com/ipcap/ipcap/internal/enum/enumtest"
)

func TestEnumTextForms(t *testing.T) {
	fieldErr := func(err error) bool { var fe *FieldError; return errors.As(err, &fe) }
	enumtest.Check(t, All(), Mode(len(All())+1), ParseMode, fieldErr)
	enumtest.Check(t, []Source{NoSource, NodeSubnet, PodSubnet, PodCIDR, CNIPool}, CNIPool+1, ParseSource, fieldErr)
	enumtest.Check(t, []Unit{0, PerPod, Batch, StaticBlock, NodeBlock, OnDemandBlock}, OnDemandBlock+1, ParseUnit, fieldErr)
	enumtest.Check(t, []OS{Linux, Windows}, Windows+1, ParseOS, fieldErr)
	enumtest.Check(t, []Dataplane{0, DataplaneAzure, DataplaneCilium, DataplaneBYO}, DataplaneBYO+1, ParseDataplane, fieldErr)
	enumtest.Check(t, []Policy{PolicyNone, PolicyAzure, PolicyCalico, PolicyCilium}, PolicyCilium+1, ParsePolicy, fieldErr)
}
