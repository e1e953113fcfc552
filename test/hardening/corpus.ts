/**
 * Hostile tokens, built from tables. Each hostile case names the check that must reject it. Host,
 * scheme, path and query cases keep every other part valid (a fresh date, an allowed host, a full
 * query), so a check that let the hostile part through would let the token reach STS. Body cases
 * start from a token that is only expired, so a byte the decoder wrongly skips shows as that error.
 *
 * ACCEPTED_CASES lists unusual tokens that aws-iam-authenticator also accepts. They reach STS, but only
 * at an allowed STS host.
 */
import { TOKEN_PREFIX, type TokenErrorCode } from '../../src/token/index.js';
import { bodyOf, NOW_PARAM, queryWith, tokenOf, tokenOfBytes, urlOf, VALID_QUERY } from './tokens.js';

export interface HostileCase {
  readonly name: string;
  readonly token: string;
  readonly code: TokenErrorCode;
  /** Text the error message must contain. */
  readonly message: string;
  /** Server partition. Default: aws. */
  readonly partition?: string;
  /** Server region. Default: '' (unknown). */
  readonly region?: string;
}

export interface AcceptedCase {
  readonly name: string;
  readonly token: string;
  /** The only host the token may be sent to. */
  readonly host: string;
  readonly partition?: string;
  readonly region?: string;
}

/** X-Amz-Date one second past the 15-minute window of NOW. */
const EXPIRED_PARAM = '20260115T114459Z';
const EXPIRED_MESSAGE = 'X-Amz-Date parameter is expired (15 minute expiration) 2026-01-15 11:44:59 +0000 UTC';
const EXPIRED_QUERY = queryWith({ 'X-Amz-Date': EXPIRED_PARAM });

type Row = readonly [name: string, value: string, message: string];

const unexpectedHost = (host: string): string => `unexpected hostname "${host}" in pre-signed URL`;
const fewLabels = (host: string): string =>
  `could not parse region for pre-signed URL ${host}, invalid host format: ${host}`;
const EMPTY_HOST = 'could not parse region for pre-signed URL , host is empty';
const CONTROL = 'net/url: invalid control character in URL';

/** Hosts that name internal services, other domains or look-alikes of STS. */
const SSRF_HOSTS: Row[] = [
  ['loopback IPv4', '127.0.0.1', unexpectedHost('127.0.0.1')],
  ['loopback IPv4 with port', '127.0.0.1:443', unexpectedHost('127.0.0.1:443')],
  ['loopback 127.1', '127.1', fewLabels('127.1')],
  ['localhost', 'localhost', fewLabels('localhost')],
  ['localhost with port', 'localhost:8080', fewLabels('localhost:8080')],
  ['localhost.localdomain', 'localhost.localdomain', fewLabels('localhost.localdomain')],
  ['EC2 metadata', '169.254.169.254', unexpectedHost('169.254.169.254')],
  ['EC2 metadata with port', '169.254.169.254:80', unexpectedHost('169.254.169.254:80')],
  ['ECS credentials', '169.254.170.2', unexpectedHost('169.254.170.2')],
  ['metadata as decimal', '2852039166', fewLabels('2852039166')],
  ['metadata as hex', '0xa9.0xfe.0xa9.0xfe', unexpectedHost('0xa9.0xfe.0xa9.0xfe')],
  ['metadata as octal', '0251.0376.0251.0376', unexpectedHost('0251.0376.0251.0376')],
  ['metadata via wildcard DNS', '169.254.169.254.nip.io', unexpectedHost('169.254.169.254.nip.io')],
  ['unspecified IPv4', '0.0.0.0', unexpectedHost('0.0.0.0')],
  ['zero', '0', fewLabels('0')],
  ['private 10/8', '10.0.0.1', unexpectedHost('10.0.0.1')],
  ['private 10/8 top', '10.255.255.255', unexpectedHost('10.255.255.255')],
  ['private 172.16/12', '172.16.0.1', unexpectedHost('172.16.0.1')],
  ['private 192.168/16', '192.168.1.1', unexpectedHost('192.168.1.1')],
  ['GCE metadata', 'metadata.google.internal', unexpectedHost('metadata.google.internal')],
  ['bare metadata', 'metadata', fewLabels('metadata')],
  ['instance-data', 'instance-data', fewLabels('instance-data')],
  ['instance-data.ec2.internal', 'instance-data.ec2.internal', unexpectedHost('instance-data.ec2.internal')],
  ['kubernetes service', 'kubernetes.default.svc', unexpectedHost('kubernetes.default.svc')],
  ['other domain', 'evil.example.com', unexpectedHost('evil.example.com')],
  ['STS name as subdomain', 'sts.amazonaws.com.evil.com', unexpectedHost('sts.amazonaws.com.evil.com')],
  ['regional STS as subdomain', 'sts.us-east-1.amazonaws.com.evil.com', unexpectedHost('sts.us-east-1.amazonaws.com.evil.com')],
  ['STS name in label', 'sts-amazonaws-com.evil.com', unexpectedHost('sts-amazonaws-com.evil.com')],
  ['STS suffix without dot', 'evilsts.amazonaws.com', unexpectedHost('evilsts.amazonaws.com')],
  ['non-STS AWS service', 'website.amazonaws.com', unexpectedHost('website.amazonaws.com')],
  ['S3 host', 's3.us-east-1.amazonaws.com', unexpectedHost('s3.us-east-1.amazonaws.com')],
  ['China global', 'sts.amazonaws.com.cn', unexpectedHost('sts.amazonaws.com.cn')],
  ['regional on China domain', 'sts.us-east-1.amazonaws.com.cn', unexpectedHost('sts.us-east-1.amazonaws.com.cn')],
  ['dual-stack as subdomain', 'sts.us-east-1.api.aws.evil.com', unexpectedHost('sts.us-east-1.api.aws.evil.com')],
  ['IP in dual-stack name', 'sts.169.254.169.254.api.aws', unexpectedHost('sts.169.254.169.254.api.aws')],
  ['fragment before at', 'evil.com#@sts.amazonaws.com', fewLabels('evil.com')],
  ['fragment before at, 3 labels', 'evil.example.com#@sts.amazonaws.com', unexpectedHost('evil.example.com')],
  ['STS as userinfo', 'sts.amazonaws.com@evil.com', fewLabels('evil.com')],
  ['STS as userinfo, 3 labels', 'sts.amazonaws.com@evil.example.com', unexpectedHost('evil.example.com')],
  ['STS user and password', 'sts.amazonaws.com:443@169.254.169.254', unexpectedHost('169.254.169.254')],
  ['double at', 'a@sts.amazonaws.com@evil.example.com', unexpectedHost('evil.example.com')],
  ['question before at', 'evil.example.com?@sts.amazonaws.com', unexpectedHost('evil.example.com')],
  ['slash before at', 'evil.example.com/@sts.amazonaws.com', unexpectedHost('evil.example.com')],
];

/** Hosts spelled with characters a parser may treat differently. */
const SPELLING_HOSTS: Row[] = [
  ['backslash inside', 'sts.amazonaws.com\\evil.com', 'invalid character "\\\\" in host name'],
  ['backslash before at', 'evil.com\\@sts.amazonaws.com', 'net/url: invalid userinfo'],
  ['backslash before dot', 'evil.com\\.sts.amazonaws.com', 'invalid character "\\\\" in host name'],
  ['port 443', 'sts.amazonaws.com:443', unexpectedHost('sts.amazonaws.com:443')],
  ['port 80', 'sts.amazonaws.com:80', unexpectedHost('sts.amazonaws.com:80')],
  ['port 0', 'sts.amazonaws.com:0', unexpectedHost('sts.amazonaws.com:0')],
  ['empty port', 'sts.amazonaws.com:', unexpectedHost('sts.amazonaws.com:')],
  ['regional port 443', 'sts.us-east-1.amazonaws.com:443', unexpectedHost('sts.us-east-1.amazonaws.com:443')],
  ['port 65536', 'sts.amazonaws.com:65536', unexpectedHost('sts.amazonaws.com:65536')],
  ['negative port', 'sts.amazonaws.com:-1', 'invalid port ":-1" after host'],
  ['named port', 'sts.amazonaws.com:https', 'invalid port ":https" after host'],
  ['two ports', 'sts.amazonaws.com:443:443', 'invalid port ":443:443" after host'],
  ['trailing dot', 'sts.amazonaws.com.', unexpectedHost('sts.amazonaws.com.')],
  ['regional trailing dot', 'sts.us-east-1.amazonaws.com.', unexpectedHost('sts.us-east-1.amazonaws.com.')],
  ['two trailing dots', 'sts.us-east-1.amazonaws.com..', unexpectedHost('sts.us-east-1.amazonaws.com..')],
  ['leading dot', '.sts.amazonaws.com', unexpectedHost('.sts.amazonaws.com')],
  ['empty label', 'sts..amazonaws.com', 'invalid region identifier format provided: '],
  ['upper case', 'STS.AMAZONAWS.COM', unexpectedHost('STS.AMAZONAWS.COM')],
  ['upper first letter', 'Sts.amazonaws.com', unexpectedHost('Sts.amazonaws.com')],
  ['upper TLD', 'sts.amazonaws.COM', unexpectedHost('sts.amazonaws.COM')],
  ['upper regional', 'STS.US-EAST-1.AMAZONAWS.COM', unexpectedHost('STS.US-EAST-1.AMAZONAWS.COM')],
  ['upper service label', 'STS.us-east-1.amazonaws.com', unexpectedHost('STS.us-east-1.amazonaws.com')],
  ['mixed domain', 'sts.us-east-1.AmazonAWS.com', unexpectedHost('sts.us-east-1.AmazonAWS.com')],
  ['upper dual-stack', 'sts.us-east-1.API.AWS', unexpectedHost('sts.us-east-1.API.AWS')],
  ['punycode first label', 'xn--sts-9na.amazonaws.com', unexpectedHost('xn--sts-9na.amazonaws.com')],
  ['punycode domain', 'sts.us-east-1.xn--amazonaws-q0a.com', unexpectedHost('sts.us-east-1.xn--amazonaws-q0a.com')],
  ['punycode whole', 'xn--stsamazonaws-com.evil', fewLabels('xn--stsamazonaws-com.evil')],
  ['punycode TLD', 'sts.amazonaws.xn--com-p01a', unexpectedHost('sts.amazonaws.xn--com-p01a')],
  ['Cyrillic s', 'stѕ.amazonaws.com', unexpectedHost('stѕ.amazonaws.com')],
  ['ideographic full stop', 'sts\u3002amazonaws.com', fewLabels('sts\u3002amazonaws.com')],
  ['all ideographic stops', 'sts\u3002us-east-1\u3002amazonaws\u3002com', fewLabels('sts\u3002us-east-1\u3002amazonaws\u3002com')],
  ['fullwidth full stop', 'sts\uff0eamazonaws\uff0ecom', fewLabels('sts\uff0eamazonaws\uff0ecom')],
  ['fullwidth stop in domain', 'sts.us-east-1.amazonaws\uff0ecom', unexpectedHost('sts.us-east-1.amazonaws\uff0ecom')],
  ['halfwidth ideographic stop', 'sts\uff61amazonaws.com', fewLabels('sts\uff61amazonaws.com')],
  ['fullwidth letters', '\uff53\uff54\uff53.amazonaws.com', unexpectedHost('\uff53\uff54\uff53.amazonaws.com')],
  ['fullwidth region', 'sts.\uff55\uff53-east-1.amazonaws.com', 'invalid region identifier format provided: \uff55\uff53-east-1'],
  ['percent letter', '%73ts.amazonaws.com', 'invalid URL escape "%73"'],
  ['percent dot', 'sts%2Eamazonaws.com', 'invalid URL escape "%2E"'],
  ['percent dot lower', 'sts%2eus-east-1.amazonaws.com', 'invalid URL escape "%2e"'],
  ['percent slash', 'sts.amazonaws.com%2F.evil.com', 'invalid URL escape "%2F"'],
  ['percent at', 'evil.com%40sts.amazonaws.com', 'invalid URL escape "%40"'],
  ['percent NUL', 'sts.amazonaws.com%00', 'invalid URL escape "%00"'],
  ['percent sign', 'sts.amazonaws.com%25', unexpectedHost('sts.amazonaws.com%')],
  ['lone percent', 'sts.amazonaws.com%', 'invalid URL escape "%"'],
  ['bad escape', 'sts.amazonaws.com%zz', 'invalid URL escape "%zz"'],
  ['percent ideographic stop', 'sts%E3%80%82amazonaws.com', fewLabels('sts\u3002amazonaws.com')],
  ['percent fullwidth stop', 'sts.us-east-1.amazonaws%EF%BC%8Ecom', unexpectedHost('sts.us-east-1.amazonaws\uff0ecom')],
  ['overlong dot', 'sts%C0%AEamazonaws.com', fewLabels('sts\ufffd\ufffdamazonaws.com')],
  ['IPv6 loopback', '[::1]', fewLabels('[::1]')],
  ['IPv6 loopback with port', '[::1]:443', fewLabels('[::1]:443')],
  ['IPv6 unspecified', '[::]', fewLabels('[::]')],
  ['IPv6 mapped metadata', '[::ffff:169.254.169.254]', unexpectedHost('[::ffff:169.254.169.254]')],
  ['IPv6 mapped hex', '[::ffff:a9fe:a9fe]', fewLabels('[::ffff:a9fe:a9fe]')],
  ['IPv6 EC2 metadata', '[fd00:ec2::254]', fewLabels('[fd00:ec2::254]')],
  ['IPv6 zone', '[fe80::1%25eth0]', fewLabels('[fe80::1%eth0]')],
  ['IPv6 without bracket', '::1', 'invalid port "::1" after host'],
  ['IPv6 open bracket', '[::1', "missing ']' in host"],
  ['bracketed name', '[sts.amazonaws.com]', unexpectedHost('[sts.amazonaws.com]')],
  ['empty host', '', EMPTY_HOST],
  ['only userinfo', 'user@', EMPTY_HOST],
  ['only port', ':443', fewLabels(':443')],
  ['CR LF header', 'sts.amazonaws.com\r\nHost: evil.com', CONTROL],
  ['LF', 'sts.amazonaws.com\n', CONTROL],
  ['NUL', 'sts.amazonaws.com\u0000.evil.com', CONTROL],
  ['tab', 'sts.amazonaws.com\t', CONTROL],
  ['DEL', 'sts.amazonaws.com\u007f', CONTROL],
  ['space', 'sts.amazonaws.com evil.com', 'invalid character " " in host name'],
  ['quote', 'sts.amazonaws.com"', unexpectedHost('sts.amazonaws.com\\"')],
  ['angle bracket', 'sts.amazonaws.com<', unexpectedHost('sts.amazonaws.com<')],
  ['next line U+0085', 'sts.amazonaws.com\u0085', unexpectedHost('sts.amazonaws.com\\u0085')],
  ['line separator U+2028', 'sts.amazonaws.com\u2028', unexpectedHost('sts.amazonaws.com\\u2028')],
  ['zero-width space', 'sts\u200b.amazonaws.com', unexpectedHost('sts\\u200b.amazonaws.com')],
  ['very long host', `${'a'.repeat(2500)}.evil.com`, 'unexpected hostname "aaaa'],
  ['very long label before STS', `${'a'.repeat(2500)}.sts.amazonaws.com`, 'unexpected hostname "aaaa'],
  ['many labels', `${'a.'.repeat(1200)}com`, 'unexpected hostname "a.a.a.'],
  ['many labels before STS', `${'x.'.repeat(1000)}sts.us-east-1.amazonaws.com`, 'unexpected hostname "x.x.x.'],
];

/** Hosts that pass in one partition or region but not in the verifier's. */
const PARTITION_HOSTS: ReadonlyArray<readonly [name: string, host: string, partition: string, region: string, message: string]> = [
  ['global in aws-cn', 'sts.amazonaws.com', 'aws-cn', '', 'global endpoint unsupported in partition aws-cn'],
  ['global in GovCloud', 'sts.amazonaws.com', 'aws-us-gov', '', 'global endpoint unsupported in partition aws-us-gov'],
  ['commercial in aws-cn', 'sts.us-east-1.amazonaws.com', 'aws-cn', '', 'partition {aws-cn} does not support hostname sts.us-east-1.amazonaws.com'],
  ['China in aws', 'sts.cn-north-1.amazonaws.com.cn', 'aws', '', 'partition {aws} does not support hostname sts.cn-north-1.amazonaws.com.cn'],
  ['ISO in aws', 'sts.us-iso-east-1.c2s.ic.gov', 'aws', '', 'partition {aws} does not support hostname sts.us-iso-east-1.c2s.ic.gov'],
  ['ISO dual-stack in aws-iso', 'sts.us-iso-east-1.api.aws.ic.gov', 'aws-iso', '', 'partition {aws-iso} does not support hostname'],
  ['GovCloud FIPS', 'sts-fips.us-gov-west-1.amazonaws.com', 'aws-us-gov', '', unexpectedHost('sts-fips.us-gov-west-1.amazonaws.com')],
  ['port with server region', 'sts.us-east-1.amazonaws.com:443', 'aws', 'us-east-1', unexpectedHost('sts.us-east-1.amazonaws.com:443')],
  ['upper with server region', 'sts.us-east-1.amazonaws.COM', 'aws', 'us-east-1', unexpectedHost('sts.us-east-1.amazonaws.COM')],
  ['unknown China region', 'sts.not-a-region.amazonaws.com.cn', 'aws-cn', '', unexpectedHost('sts.not-a-region.amazonaws.com.cn')],
  ['other server region', 'sts.not-a-region.amazonaws.com.cn', 'aws-cn', 'us-west-2', unexpectedHost('sts.not-a-region.amazonaws.com.cn')],
];

/** Scheme and authority prefixes, with the rest of the URL valid. */
const SCHEMES: Row[] = [
  ['http', 'http://', 'unexpected scheme "http" in pre-signed URL'],
  ['HTTP upper', 'HTTP://', 'unexpected scheme "http" in pre-signed URL'],
  ['space before colon', 'https ://', 'first path segment in URL cannot contain colon'],
  ['leading space', ' https://', 'first path segment in URL cannot contain colon'],
  ['digit first', '1https://', 'first path segment in URL cannot contain colon'],
  ['missing scheme', '://', 'missing protocol scheme'],
  ['javascript', 'javascript:alert(1)//', 'unexpected scheme "javascript" in pre-signed URL'],
  ['file', 'file://', 'unexpected scheme "file" in pre-signed URL'],
  ['ftp', 'ftp://', 'unexpected scheme "ftp" in pre-signed URL'],
  ['gopher', 'gopher://', 'unexpected scheme "gopher" in pre-signed URL'],
  ['wss', 'wss://', 'unexpected scheme "wss" in pre-signed URL'],
  ['data', 'data:text/plain,', 'unexpected scheme "data" in pre-signed URL'],
  ['https+unix', 'https+unix://', 'unexpected scheme "https+unix" in pre-signed URL'],
  ['httpss', 'httpss://', 'unexpected scheme "httpss" in pre-signed URL'],
  ['scheme-relative', '//', 'unexpected scheme "" in pre-signed URL'],
  ['no scheme', '', 'unexpected scheme "" in pre-signed URL'],
  ['one slash', 'https:/', EMPTY_HOST],
  ['no slash', 'https:', EMPTY_HOST],
  ['three slashes', 'https:///', EMPTY_HOST],
  ['backslashes', 'https:\\\\', EMPTY_HOST],
  ['tab in scheme', 'ht\ttps://', CONTROL],
  ['NUL after scheme', 'https\u0000://', CONTROL],
  ['nested scheme', 'https://https://', fewLabels('https:')],
];

/** Paths between an allowed host and a valid query. */
const PATHS: Row[] = [
  ['abc', '/abc', 'unexpected path in pre-signed URL'],
  ['double slash', '//', 'unexpected path in pre-signed URL'],
  ['escaped slash', '/%2F', 'unexpected path in pre-signed URL'],
  ['escaped slash lower', '/%2f', 'unexpected path in pre-signed URL'],
  ['dot', '/.', 'unexpected path in pre-signed URL'],
  ['dot dot', '/..', 'unexpected path in pre-signed URL'],
  ['dot slash', '/./', 'unexpected path in pre-signed URL'],
  ['dot dot slash', '/../', 'unexpected path in pre-signed URL'],
  ['escaped dots', '/%2e%2e/', 'unexpected path in pre-signed URL'],
  ['empty', '', 'unexpected path in pre-signed URL'],
  ['escaped question mark', '/%3F', 'unexpected path in pre-signed URL'],
  ['semicolon', '/;', 'unexpected path in pre-signed URL'],
  ['backslash', '/\\', 'unexpected path in pre-signed URL'],
  ['at host', '/@evil.com', 'unexpected path in pre-signed URL'],
  ['escaped NUL', '/%00', 'unexpected path in pre-signed URL'],
  ['space', '/ ', 'unexpected path in pre-signed URL'],
  ['other host', '/sts.amazonaws.com', 'unexpected path in pre-signed URL'],
  ['bad escape', '/%zz', 'invalid URL escape "%zz"'],
  ['lone percent', '/%', 'invalid URL escape "%"'],
];

/** Whole URL tails (path, query and fragment) after an allowed host. */
const TAILS: Row[] = [
  ['double question mark', `/??${VALID_QUERY}`, 'non-whitelisted query parameter "?Action"'],
  ['fragment hides query', `/#?${VALID_QUERY}`, 'unexpected action parameter in pre-signed URL'],
  ['no query', '/', 'unexpected action parameter in pre-signed URL'],
  ['empty query', '/?', 'unexpected action parameter in pre-signed URL'],
  ['query in path', `/${VALID_QUERY}`, 'unexpected path in pre-signed URL'],
];

/** Raw queries after `https://sts.amazonaws.com/?`. */
const QUERIES: Row[] = [
  ['semicolon separator', VALID_QUERY.replace('&Version', ';Version'), 'malformed query parameter'],
  ['semicolon in value', queryWith({ 'X-Amz-SignedHeaders': 'host;x-k8s-aws-id' }), 'malformed query parameter'],
  ['leading semicolon', `;${VALID_QUERY}`, 'malformed query parameter'],
  ['trailing semicolon', `${VALID_QUERY};`, 'malformed query parameter'],
  ['lone percent value', queryWith({ 'X-Amz-Signature': '%' }), 'malformed query parameter'],
  ['bad escape value', queryWith({ 'X-Amz-Signature': '%zz' }), 'malformed query parameter'],
  ['half escape value', queryWith({ 'X-Amz-Signature': 'c0ffee%4' }), 'malformed query parameter'],
  ['bad escape key', `${VALID_QUERY}&%G1=x`, 'malformed query parameter'],
  ['double percent', queryWith({ Version: '%%' }), 'malformed query parameter'],
  ['bad escape in expires', queryWith({ 'X-Amz-Expires': '60%gh' }), 'malformed query parameter'],
  ['case-variant action', `${VALID_QUERY}&action=GetCallerIdentity`, 'duplicate query parameter found: "action"'],
  ['upper-case date twin', `${VALID_QUERY}&X-AMZ-DATE=${NOW_PARAM}`, 'duplicate query parameter found: "X-AMZ-DATE"'],
  ['lower-case credential twin', `${VALID_QUERY}&x-amz-credential=eve`, 'duplicate query parameter found: "x-amz-credential"'],
  ['case-variant signature', `${VALID_QUERY}&x-amz-signature=00`, 'duplicate query parameter found: "x-amz-signature"'],
  ['escaped case-variant key', `${VALID_QUERY}&%61ction=GetCallerIdentity`, 'duplicate query parameter found: "action"'],
  ['repeated action', `${VALID_QUERY}&Action=GetCallerIdentity`, 'query parameter with multiple values not supported'],
  ['repeated date', `${VALID_QUERY}&X-Amz-Date=${NOW_PARAM}`, 'query parameter with multiple values not supported'],
  ['repeated token', `${VALID_QUERY}&X-Amz-Security-Token=other`, 'query parameter with multiple values not supported'],
  ['repeated empty version', `${VALID_QUERY}&Version`, 'query parameter with multiple values not supported'],
  ['unknown key', `${VALID_QUERY}&X-Amz-Foo=1`, 'non-whitelisted query parameter "X-Amz-Foo"'],
  ['host key', `${VALID_QUERY}&Host=evil.com`, 'non-whitelisted query parameter "Host"'],
  ['cluster header key', `${VALID_QUERY}&x-k8s-aws-id=other`, 'non-whitelisted query parameter "x-k8s-aws-id"'],
  ['redirect key', `${VALID_QUERY}&redirect=http://169.254.169.254/`, 'non-whitelisted query parameter "redirect"'],
  ['empty key', `${VALID_QUERY}&=x`, 'non-whitelisted query parameter ""'],
  ['plus in key', `${VALID_QUERY}&+Action=x`, 'non-whitelisted query parameter " Action"'],
  ['escaped space key', `${VALID_QUERY}&Action%20=x`, 'non-whitelisted query parameter "Action "'],
  ['NUL in key', `${VALID_QUERY}&Action%00=x`, 'non-whitelisted query parameter "Action\\x00"'],
  ['invalid UTF-8 key', `${VALID_QUERY}&%FF=x`, 'non-whitelisted query parameter "\\xff"'],
  ['suffixed token key', `${VALID_QUERY}&X-Amz-Security-Token2=x`, 'non-whitelisted query parameter "X-Amz-Security-Token2"'],
  ['huge unknown key', `${VALID_QUERY}&${'K'.repeat(2000)}=1`, 'non-whitelisted query parameter "KKKK'],
  ['missing action', queryWith({ Action: null }), 'unexpected action parameter in pre-signed URL'],
  ['empty action', queryWith({ Action: '' }), 'unexpected action parameter in pre-signed URL'],
  ['lower-case action', queryWith({ Action: 'getcalleridentity' }), 'unexpected action parameter in pre-signed URL'],
  ['upper-case action', queryWith({ Action: 'GETCALLERIDENTITY' }), 'unexpected action parameter in pre-signed URL'],
  ['action with plus', queryWith({ Action: 'GetCallerIdentity+' }), 'unexpected action parameter in pre-signed URL'],
  ['action with space', queryWith({ Action: 'Get%20CallerIdentity' }), 'unexpected action parameter in pre-signed URL'],
  ['action with NUL', queryWith({ Action: 'GetCallerIdentity%00' }), 'unexpected action parameter in pre-signed URL'],
  ['AssumeRole action', queryWith({ Action: 'AssumeRole' }), 'unexpected action parameter in pre-signed URL'],
  ['GetSessionToken action', queryWith({ Action: 'GetSessionToken' }), 'unexpected action parameter in pre-signed URL'],
  ['huge action', queryWith({ Action: 'G'.repeat(2500) }), 'unexpected action parameter in pre-signed URL'],
  ['host only signed', queryWith({ 'X-Amz-SignedHeaders': 'host' }), 'client did not sign the x-k8s-aws-id header'],
  ['no signed headers', queryWith({ 'X-Amz-SignedHeaders': null }), 'client did not sign the x-k8s-aws-id header'],
  ['longer header name', queryWith({ 'X-Amz-SignedHeaders': 'host%3Bx-k8s-aws-idx' }), 'client did not sign the x-k8s-aws-id header'],
  ['shorter header name', queryWith({ 'X-Amz-SignedHeaders': 'x-k8s-aws-i' }), 'client did not sign the x-k8s-aws-id header'],
  ['comma list', queryWith({ 'X-Amz-SignedHeaders': 'host,x-k8s-aws-id' }), 'client did not sign the x-k8s-aws-id header'],
  ['space before name', queryWith({ 'X-Amz-SignedHeaders': 'host%3B%20x-k8s-aws-id' }), 'client did not sign the x-k8s-aws-id header'],
  ['expires -1', queryWith({ 'X-Amz-Expires': '-1' }), 'invalid X-Amz-Expires parameter in pre-signed URL: -1'],
  ['expires 901', queryWith({ 'X-Amz-Expires': '901' }), 'invalid X-Amz-Expires parameter in pre-signed URL: 901'],
  ['expires 1e3', queryWith({ 'X-Amz-Expires': '1e3' }), 'invalid X-Amz-Expires parameter in pre-signed URL: 0'],
  ['expires 0x10', queryWith({ 'X-Amz-Expires': '0x10' }), 'invalid X-Amz-Expires parameter in pre-signed URL: 0'],
  ['expires leading space', queryWith({ 'X-Amz-Expires': '%2060' }), 'invalid X-Amz-Expires parameter in pre-signed URL: 0'],
  ['expires plus as space', queryWith({ 'X-Amz-Expires': '+60' }), 'invalid X-Amz-Expires parameter in pre-signed URL: 0'],
  ['expires trailing space', queryWith({ 'X-Amz-Expires': '60%20' }), 'invalid X-Amz-Expires parameter in pre-signed URL: 0'],
  ['expires decimal', queryWith({ 'X-Amz-Expires': '60.0' }), 'invalid X-Amz-Expires parameter in pre-signed URL: 0'],
  ['expires underscore', queryWith({ 'X-Amz-Expires': '1_0' }), 'invalid X-Amz-Expires parameter in pre-signed URL: 0'],
  ['expires fullwidth', queryWith({ 'X-Amz-Expires': '%EF%BC%96%EF%BC%90' }), 'invalid X-Amz-Expires parameter in pre-signed URL: 0'],
  ['expires missing', queryWith({ 'X-Amz-Expires': null }), 'invalid X-Amz-Expires parameter in pre-signed URL: 0'],
  ['expires empty', queryWith({ 'X-Amz-Expires': '' }), 'invalid X-Amz-Expires parameter in pre-signed URL: 0'],
  ['expires int64 overflow', queryWith({ 'X-Amz-Expires': '9223372036854775808' }), 'invalid X-Amz-Expires parameter in pre-signed URL: 9223372036854775807'],
  ['expires uint64 overflow', queryWith({ 'X-Amz-Expires': '99999999999999999999' }), 'invalid X-Amz-Expires parameter in pre-signed URL: 9223372036854775807'],
  ['expires negative overflow', queryWith({ 'X-Amz-Expires': '-99999999999999999999' }), 'invalid X-Amz-Expires parameter in pre-signed URL: -9223372036854775808'],
  ['expires huge', queryWith({ 'X-Amz-Expires': '9'.repeat(2000) }), 'invalid X-Amz-Expires parameter in pre-signed URL: 9223372036854775807'],
  ['expires 2^64', queryWith({ 'X-Amz-Expires': '18446744073709551616' }), 'invalid X-Amz-Expires parameter in pre-signed URL: 9223372036854775807'],
  ['date missing', queryWith({ 'X-Amz-Date': null }), 'X-Amz-Date parameter must be present in pre-signed URL'],
  ['date empty', queryWith({ 'X-Amz-Date': '' }), 'X-Amz-Date parameter must be present in pre-signed URL'],
  ['date expired by 1 s', EXPIRED_QUERY, EXPIRED_MESSAGE],
  ['date 1990', queryWith({ 'X-Amz-Date': '19900422T010203Z' }), 'expired (15 minute expiration) 1990-04-22 01:02:03 +0000 UTC'],
  ['date Feb 30', queryWith({ 'X-Amz-Date': '20260230T120000Z' }), 'parsing time "20260230T120000Z": day out of range'],
  ['date Feb 29 2026', queryWith({ 'X-Amz-Date': '20260229T120000Z' }), 'day out of range'],
  ['date day 0', queryWith({ 'X-Amz-Date': '20260100T120000Z' }), 'day out of range'],
  ['date month 13', queryWith({ 'X-Amz-Date': '20261301T120000Z' }), 'month out of range'],
  ['date hour 24', queryWith({ 'X-Amz-Date': '20260115T240000Z' }), 'hour out of range'],
  ['date minute 60', queryWith({ 'X-Amz-Date': '20260115T126000Z' }), 'minute out of range'],
  ['date second 60', queryWith({ 'X-Amz-Date': '20260115T120060Z' }), 'second out of range'],
  ['date missing Z', queryWith({ 'X-Amz-Date': '20260115T120000' }), 'cannot parse "" as "Z"'],
  ['date lower t', queryWith({ 'X-Amz-Date': '20260115t120000Z' }), 'cannot parse "t120000Z" as "T"'],
  ['date lower z', queryWith({ 'X-Amz-Date': '20260115T120000z' }), 'cannot parse "z" as "Z"'],
  ['date extra digit', queryWith({ 'X-Amz-Date': '20260115T1200000Z' }), 'cannot parse "0Z" as "Z"'],
  ['date extra text', queryWith({ 'X-Amz-Date': '20260115T120000Z0' }), 'extra text: "0"'],
  ['date dot without digits', queryWith({ 'X-Amz-Date': '20260115T120000.Z' }), 'cannot parse ".Z" as "Z"'],
  ['date ISO 8601', queryWith({ 'X-Amz-Date': '2026-01-15T12:00:00Z' }), 'cannot parse "-01-15T12:00:00Z" as "01"'],
  ['date offset', queryWith({ 'X-Amz-Date': '20260115T120000%2B0000' }), 'cannot parse "+0000" as "Z"'],
  ['date leading space', queryWith({ 'X-Amz-Date': `%20${NOW_PARAM}` }), 'as "2006"'],
  ['date trailing NUL', queryWith({ 'X-Amz-Date': `${NOW_PARAM}%00` }), 'extra text: "\\x00"'],
  ['date epoch seconds', queryWith({ 'X-Amz-Date': '1768478400' }), 'month out of range'],
  ['date huge', queryWith({ 'X-Amz-Date': '2'.repeat(2000) }), 'month out of range'],
];

function hostCases(rows: readonly Row[]): HostileCase[] {
  return rows.map(([name, host, message]) => ({ name: `host ${name}`, token: tokenOf(urlOf({ host })), code: 'TOKEN_FORMAT', message }));
}

function partitionCases(): HostileCase[] {
  return PARTITION_HOSTS.map(([name, host, partition, region, message]) => ({
    name: `host ${name}`,
    token: tokenOf(urlOf({ host })),
    code: 'TOKEN_FORMAT',
    message,
    partition,
    region,
  }));
}

function schemeCases(): HostileCase[] {
  return SCHEMES.map(([name, start, message]) => ({ name: `scheme ${name}`, token: tokenOf(urlOf({ start })), code: 'TOKEN_FORMAT', message }));
}

function pathCases(): HostileCase[] {
  const paths = PATHS.map(([name, path, message]): HostileCase => ({
    name: `path ${name}`,
    token: tokenOf(urlOf({ path })),
    code: 'TOKEN_FORMAT',
    message,
  }));
  const tails = TAILS.map(([name, tail, message]): HostileCase => ({
    name: `tail ${name}`,
    token: tokenOf(urlOf({ path: '', tail })),
    code: 'TOKEN_FORMAT',
    message,
  }));
  return [...paths, ...tails];
}

function queryCases(): HostileCase[] {
  return QUERIES.map(([name, query, message]) => ({
    name: `query ${name}`,
    token: tokenOf(urlOf({ tail: `?${query}` })),
    code: 'TOKEN_FORMAT',
    message,
  }));
}

/** Builds a URL of exactly `length` bytes by padding the session token. */
function urlOfLength(length: number, date: string): string {
  const base = urlOf({ tail: `?${queryWith({ 'X-Amz-Date': date, 'X-Amz-Security-Token': '' })}` });
  const padding = 'S'.repeat(length - Buffer.byteLength(base, 'utf8'));
  return urlOf({ tail: `?${queryWith({ 'X-Amz-Date': date, 'X-Amz-Security-Token': padding })}` });
}

/** Inserts text into a token's body at `index`. */
function insertIntoBody(token: string, index: number, text: string): string {
  const body = bodyOf(token);
  return TOKEN_PREFIX + body.slice(0, index) + text + body.slice(index);
}

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Sets the lowest unused bit of the last symbol, which the decoder must ignore like Go's does. */
function withTrailingBits(token: string): string {
  if (bodyOf(token).length % 4 === 0) throw new Error('the body has no unused bits; change the URL length');
  const last = BASE64URL.indexOf(token.slice(-1));
  return token.slice(0, -1) + (BASE64URL[last | 1] ?? '');
}

// The largest URL whose token fits: 3063 bytes encode to 4084 characters, 4095 bytes with the prefix.
const MAX_URL_BYTES = 3063;

/** Token-level tricks: size, prefix and base64url body. */
function bodyCases(): HostileCase[] {
  const expired = tokenOf(urlOf({ tail: `?${EXPIRED_QUERY}` }));
  const expiredBody = bodyOf(expired);
  const format = (name: string, token: string, message: string): HostileCase => ({
    name: `body ${name}`,
    token,
    code: 'TOKEN_FORMAT',
    message,
  });
  const firstStandardSymbol = (body: string): number => body.search(/[+/]/);
  const standardUrl = urlOf({ tail: `?${queryWith({ 'X-Amz-Security-Token': '~~~>>>???' })}` });
  const standardBody = Buffer.from(standardUrl, 'utf8').toString('base64');
  const maxExpired = tokenOf(urlOfLength(MAX_URL_BYTES, EXPIRED_PARAM));

  return [
    format('4097 ASCII bytes', TOKEN_PREFIX + 'A'.repeat(4086), 'token is too large'),
    format('4097 NUL bytes', '\u0000'.repeat(4097), 'token is too large'),
    format('4097 bytes with 2-byte char', `${TOKEN_PREFIX}${'A'.repeat(4084)}é`, 'token is too large'),
    format('4097 bytes with 3-byte char', `${TOKEN_PREFIX}${'A'.repeat(4083)}€`, 'token is too large'),
    format('4097 bytes with 4-byte char', `${TOKEN_PREFIX}${'A'.repeat(4082)}😀`, 'token is too large'),
    format('4097 bytes of multibyte only', '€'.repeat(1365) + 'é', 'token is too large'),
    format('4097 bytes with newlines', insertIntoBody(maxExpired, 100, '\n\n'), 'token is too large'),
    format('huge', TOKEN_PREFIX + 'A'.repeat(1_000_000), 'token is too large'),
    format('4096 bytes expired', insertIntoBody(maxExpired, 100, '\n'), EXPIRED_MESSAGE),
    format('4096 bytes with 2-byte char', `${TOKEN_PREFIX}${'A'.repeat(4083)}é`, 'illegal base64 data at input byte 4083'),
    format('non-UTF-8 host', tokenOfBytes(Buffer.concat([Buffer.from('https://sts.amazonaws.com'), Buffer.from([0xff]), Buffer.from(`/?${VALID_QUERY}`)])), 'unexpected hostname "sts.amazonaws.com'),
    format('non-UTF-8 scheme', tokenOfBytes(Buffer.concat([Buffer.from('http'), Buffer.from([0xc3]), Buffer.from(`s://sts.amazonaws.com/?${VALID_QUERY}`)])), 'first path segment in URL cannot contain colon'),
    format('non-UTF-8 path', tokenOfBytes(Buffer.concat([Buffer.from('https://sts.amazonaws.com/'), Buffer.from([0x80]), Buffer.from(`?${VALID_QUERY}`)])), 'unexpected path in pre-signed URL'),
    format('non-UTF-8 action', tokenOf(urlOf({ tail: `?${queryWith({ Action: 'GetCallerIdentity%FE' })}` })), 'unexpected action parameter in pre-signed URL'),
    format('binary URL', tokenOfBytes(Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x3a, 0x2f, 0x2f])), CONTROL),
    format('one padding sign', `${expired}=`, `illegal base64 data at input byte ${expiredBody.length}`),
    format('two padding signs', `${expired}==`, `illegal base64 data at input byte ${expiredBody.length}`),
    format('padding inside', insertIntoBody(expired, 8, '='), 'illegal base64 data at input byte 8'),
    format('standard alphabet', TOKEN_PREFIX + standardBody.replace(/=+$/, ''), `illegal base64 data at input byte ${firstStandardSymbol(standardBody)}`),
    format('plus', insertIntoBody(expired, 4, '+'), 'illegal base64 data at input byte 4'),
    format('slash', insertIntoBody(expired, 4, '/'), 'illegal base64 data at input byte 4'),
    format('space inside', insertIntoBody(expired, 12, ' '), 'illegal base64 data at input byte 12'),
    format('leading space', insertIntoBody(expired, 0, ' '), 'illegal base64 data at input byte 0'),
    format('trailing space', `${expired} `, `illegal base64 data at input byte ${expiredBody.length}`),
    format('tab', insertIntoBody(expired, 5, '\t'), 'illegal base64 data at input byte 5'),
    format('NUL', insertIntoBody(expired, 5, '\u0000'), 'illegal base64 data at input byte 5'),
    format('multibyte char', insertIntoBody(expired, 7, 'é'), 'illegal base64 data at input byte 7'),
    format('dot', insertIntoBody(expired, 9, '.'), 'illegal base64 data at input byte 9'),
    format('lone last symbol', `${TOKEN_PREFIX}QUJDR`, 'illegal base64 data at input byte 4'),
    format('lone symbol after newline', `${TOKEN_PREFIX}QUJD\nR`, 'illegal base64 data at input byte 5'),
    format('CR LF embedded', insertIntoBody(expired, 16, '\r\n'), EXPIRED_MESSAGE),
    format('CR LF everywhere', TOKEN_PREFIX + [...expiredBody].join('\r\n'), EXPIRED_MESSAGE),
    format('leading LF', insertIntoBody(expired, 0, '\n'), EXPIRED_MESSAGE),
    format('trailing CR', `${expired}\r`, EXPIRED_MESSAGE),
    format('only newlines', `${TOKEN_PREFIX}\r\n\r\n`, 'unexpected scheme "" in pre-signed URL'),
    format('empty body', TOKEN_PREFIX, 'unexpected scheme "" in pre-signed URL'),
    format('empty token', '', 'token is missing expected "k8s-aws-v1." prefix'),
    format('upper-case prefix', `K8S-AWS-V1.${expiredBody}`, 'token is missing expected "k8s-aws-v1." prefix'),
    format('version 2 prefix', `k8s-aws-v2.${expiredBody}`, 'token is missing expected "k8s-aws-v1." prefix'),
    format('prefix without dot', `k8s-aws-v1${expiredBody}`, 'token is missing expected "k8s-aws-v1." prefix'),
    format('prefix with colon', `k8s-aws-v1:${expiredBody}`, 'token is missing expected "k8s-aws-v1." prefix'),
    format('space before prefix', ` ${expired}`, 'token is missing expected "k8s-aws-v1." prefix'),
    format('Bearer before prefix', `Bearer ${expired}`, 'token is missing expected "k8s-aws-v1." prefix'),
    format('Unicode hyphen prefix', `k8s\u2010aws\u2010v1.${expiredBody}`, 'token is missing expected "k8s-aws-v1." prefix'),
    format('fullwidth prefix', `\uff4b8s-aws-v1.${expiredBody}`, 'token is missing expected "k8s-aws-v1." prefix'),
    format('double prefix', `${TOKEN_PREFIX}${expired}`, 'illegal base64 data at input byte 10'),
    format('prefix body', `${TOKEN_PREFIX}${TOKEN_PREFIX}`, 'illegal base64 data at input byte 10'),
  ];
}

/** Every hostile token; each must fail before STS is called. */
export const HOSTILE_CASES: readonly HostileCase[] = [
  ...hostCases(SSRF_HOSTS),
  ...hostCases(SPELLING_HOSTS),
  ...partitionCases(),
  ...schemeCases(),
  ...pathCases(),
  ...queryCases(),
  ...bodyCases(),
];

const accepted = (name: string, token: string, host = 'sts.amazonaws.com'): AcceptedCase => ({ name, token, host });

/** Unusual tokens that pass every check before STS, as they do in aws-iam-authenticator. */
export const ACCEPTED_CASES: readonly AcceptedCase[] = [
  accepted('upper-case scheme', tokenOf(urlOf({ start: 'HTTPS://' }))),
  accepted('mixed-case scheme', tokenOf(urlOf({ start: 'HtTpS://' }))),
  accepted('userinfo before STS', tokenOf(urlOf({ host: 'user:pass@sts.us-east-1.amazonaws.com' })), 'sts.us-east-1.amazonaws.com'),
  accepted('other domain as userinfo', tokenOf(urlOf({ host: 'evil.com@sts.amazonaws.com' }))),
  accepted('fragment after query', tokenOf(`${urlOf()}#@evil.example.com`)),
  accepted('upper-case region label', tokenOf(urlOf({ host: 'sts.US-EAST-1.amazonaws.com' })), 'sts.US-EAST-1.amazonaws.com'),
  accepted('unknown region label', tokenOf(urlOf({ host: 'sts.localhost.amazonaws.com' })), 'sts.localhost.amazonaws.com'),
  accepted('punycode region label', tokenOf(urlOf({ host: 'sts.xn--us-east-1-x0a.amazonaws.com' })), 'sts.xn--us-east-1-x0a.amazonaws.com'),
  accepted('FIPS dual-stack', tokenOf(urlOf({ host: 'sts-fips.us-east-1.api.aws' })), 'sts-fips.us-east-1.api.aws'),
  accepted('overlong region label', tokenOf(urlOf({ host: `sts.${'r'.repeat(2000)}.amazonaws.com` })), `sts.${'r'.repeat(2000)}.amazonaws.com`),
  accepted('future date', tokenOf(urlOf({ tail: `?${queryWith({ 'X-Amz-Date': '20991231T235959Z' })}` }))),
  accepted('15-minute boundary', tokenOf(urlOf({ tail: `?${queryWith({ 'X-Amz-Date': '20260115T114500Z' })}` }))),
  accepted('fractional second', tokenOf(urlOf({ tail: `?${queryWith({ 'X-Amz-Date': '20260115T120000.5Z' })}` }))),
  accepted('comma fraction', tokenOf(urlOf({ tail: `?${queryWith({ 'X-Amz-Date': '20260115T120000,123456789123Z' })}` }))),
  accepted('expires 0', tokenOf(urlOf({ tail: `?${queryWith({ 'X-Amz-Expires': '0' })}` }))),
  accepted('expires 900', tokenOf(urlOf({ tail: `?${queryWith({ 'X-Amz-Expires': '900' })}` }))),
  accepted('expires escaped plus', tokenOf(urlOf({ tail: `?${queryWith({ 'X-Amz-Expires': '%2B900' })}` }))),
  accepted('expires -0', tokenOf(urlOf({ tail: `?${queryWith({ 'X-Amz-Expires': '-0' })}` }))),
  accepted('expires leading zeros', tokenOf(urlOf({ tail: `?${queryWith({ 'X-Amz-Expires': `${'0'.repeat(40)}60` })}` }))),
  accepted('upper-case keys', tokenOf(urlOf({ tail: `?${VALID_QUERY.toUpperCase().replace('GETCALLERIDENTITY', 'GetCallerIdentity')}` }))),
  accepted('escaped key', tokenOf(urlOf({ tail: `?${VALID_QUERY.replace('Action=', '%41ction=')}` }))),
  accepted('upper-case signed header', tokenOf(urlOf({ tail: `?${queryWith({ 'X-Amz-SignedHeaders': 'HOST%3BX-K8S-AWS-ID' })}` }))),
  accepted('empty pairs', tokenOf(urlOf({ tail: `?&&${VALID_QUERY.replace('&', '&&&')}&` }))),
  accepted('CR LF in body', insertIntoBody(tokenOf(urlOf()), 20, '\r\n')),
  accepted('non-zero trailing bits', withTrailingBits(tokenOf(urlOf({ tail: `?${VALID_QUERY}&` })))),
  accepted('4096 bytes', insertIntoBody(tokenOf(urlOfLength(MAX_URL_BYTES, NOW_PARAM)), 100, '\n'), 'sts.amazonaws.com'),
];
