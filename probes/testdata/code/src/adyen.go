package payments

import "github.com/adyen/adyen-go-api-library/v9/src/common"

var cfg = common.Config{
	Environment: common.TestEnv, // common.LiveEnv
}
