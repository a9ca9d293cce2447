package testcorpus

// SyntaxQueries are inputs in (and around) the query-string language,
// for the seed corpus's vocabulary.
var SyntaxQueries = []string{
	`"wechat pay"`, `"mobile payment" alipay`, `+alipay -tencent`, `alipay AND tencent`,
	`alipay NOT tencent`, `alipay OR tencent`, `title:alibaba`, `body:zuckerberg^2`,
	`title:"jack ma"`, `lazad*`, `ali?aba`, `LAZAD*`, `thailnd~1`, `thailnd~`, `zuckerburg~2`,
	`title:alibbaba~1`, `/ali.*/`, `title:/tenc.*/`, `retail^3 payment`, `retail^ payment`,
	`retail^x`, `retail~x`, `+"wechat pay" +alipay -"jack ma"`, `-tencent`, `-tencent -alibaba`,
	`+the +alipay`, `+... +alipay`, `"..." alipay`, `"whatsapp`, `747`, `+boeing 747`,
	`title:747`, `title:>5`, `title:>=5`, `title:<5`, `title:<="2020-01-01"`, `title:-5`,
	`title:`, `:alipay`, `title::x`, `^2`, `~1`, `alipay~1^2`, `alipay^2~1`, `7.5.1 alipay`,
	`alipay\+pay`, `\+alipay`, `alipay\`, `"wechat \"pay\""`, `foo-bar +alipay`, `+ alipay`,
	`++alipay`, `+-alipay`, `"jack ma":x`, `unknown:alipay`, `http://alibaba.com`, `/`,
	`AND`, `alipay &&`, `NOT`, `"a" > b`, `alipay > "b"`, `tencent=alipay`, `a~1 b~2 c~3`,
	`ali*ba~1`, `title:ali*`, `"wechat pay"^2`, `"wechat pay"~1`, `+title:alibaba -body:tencent`,
	`mobile? +payment*`, `e-commerce +"jack ma"`, "alipay\ttencent +x", `(alipay)`, `[x]`,
	`über* +straße`, `Tencent +WeChat`,
}
