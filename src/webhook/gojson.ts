/**
 * The webhook's JSON reader: `readFirstJsonValue` reads a TokenReview body like Go's
 * `json.Decoder.Decode`, as aws-iam-authenticator does. It shares its byte reader with the
 * `json.Unmarshal` shape used for STS responses in src/sts/goJson.ts.
 */
export {
  decodeRuneLikeGo,
  decodeUtf8LikeGo,
  GoJsonSyntaxError,
  MAX_NESTING_DEPTH,
  readFirstJsonValue,
  type JsonNode,
} from '../sts/goJson.js';
