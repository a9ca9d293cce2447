// The pathological queries of pathological.test.mjs and
// bench/pathological.mjs: name, query, and the notice expected (or null).
export function pathological() {
  const distinct = Array.from({ length: 3000 }, (_, i) => 'w' + i).join(' ');
  return [
    ['3000 words', 'alipay wechat tencent '.repeat(1000), /cut to its first 4096 bytes/],
    ['3000 distinct words', distinct, /the 64 that fewest pages contain were searched/],
    ['3000 prefix clauses', Array.from({ length: 3000 }, (_, i) => `+a${i % 50}*`).join(' '), /query syntax not understood/],
    ['star alone', '*', null],
    ['leading wildcards', '*ay *ent *a*', null],
    ['four broad prefixes', 's* c* p* t*', null],
    ['regexp everything', '/.*/', null],
    ['nested regexp', '/(a+)+(b|c)*[a-z]{1,100}/', null],
    ['fuzziness 2 on a long word', 'pneumonoultramicroscopicsilicovolcanoconiosis~2', /fuzzy word of 45 letters, at most 32/],
    ['many fuzzy words', 'alipay~2 tencent~2 wechat~2 alibaba~2 lazada~2', /5 wildcard, regexp or fuzzy clauses, at most 4/],
    ['deeply nested parentheses', '('.repeat(5000) + 'alipay' + ')'.repeat(5000), /cut to its first 4096 bytes/],
    ['a megabyte of text', 'x'.repeat(1 << 20), /cut to its first 4096 bytes/],
    ['a megabyte of words', 'alipay '.repeat(1 << 17), /cut to its first 4096 bytes/],
  ];
}

