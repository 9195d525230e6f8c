/**
 * The catalogue of stable error codes. Clients switch on `code`; the messages are what a person
 * reads (zh-CN first, English second). A code, once shipped, keeps its meaning.
 */
export interface ErrorCodeInfo {
  status: number;
  zh: string;
  en: string;
}

export const ERROR_CODES = {
  VALIDATION_FAILED: { status: 400, zh: '请求内容不符合要求', en: 'The request did not pass validation' },
  MALFORMED_JSON: { status: 400, zh: '请求内容不是有效的 JSON', en: 'The request body is not valid JSON' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, zh: '只接受 JSON 格式的请求', en: 'Only application/json request bodies are accepted' },
  PAYLOAD_TOO_LARGE: { status: 413, zh: '请求内容过大', en: 'The request body is too large' },
  BATCH_TOO_LARGE: { status: 413, zh: '一次提交的问卷数量过多', en: 'Too many submissions in one batch' },
  ROUTE_NOT_FOUND: { status: 404, zh: '接口不存在', en: 'No such endpoint' },
  ORG_UNIT_NOT_FOUND: { status: 404, zh: '组织机构不存在', en: 'Org unit not found' },
  PARENT_NOT_FOUND: { status: 422, zh: '上级组织机构不存在', en: 'Parent org unit not found' },
  ORG_UNIT_GROUP_NOT_FOUND: { status: 404, zh: '组织机构分组不存在', en: 'Org unit group not found' },
  ORG_UNIT_CYCLE: { status: 409, zh: '不能把组织机构移到它自己或它的下级之下', en: 'An org unit cannot be moved under itself or its own descendant' },
  ORG_UNIT_LEVEL_MISMATCH: { status: 422, zh: '组织机构层级不匹配(县→乡镇→村→村民小组)', en: 'Org unit level does not fit under that parent (county → township → village → group)' },
  ORG_UNIT_HAS_CHILDREN: { status: 409, zh: '该组织机构还有下级,不能删除', en: 'The org unit still has children' },
  DUPLICATE_CODE: { status: 409, zh: '编码已存在', en: 'That code is already in use' },
  CSV_INVALID: { status: 422, zh: 'CSV 文件有错误', en: 'The CSV file has errors' },
  FORM_NOT_FOUND: { status: 404, zh: '问卷不存在', en: 'Form not found' },
  FORM_VERSION_NOT_FOUND: { status: 404, zh: '问卷版本不存在', en: 'Form version not found' },
  DUPLICATE_SLUG: { status: 409, zh: '问卷标识已存在', en: 'That form slug is already in use' },
  FORM_DEFINITION_INVALID: { status: 422, zh: '问卷定义有错误', en: 'The form definition has errors' },
  FORM_NO_DRAFT: { status: 409, zh: '问卷没有可发布的草稿', en: 'The form has no draft to publish' },
  XLSFORM_UNREADABLE: { status: 422, zh: '无法读取 XLSForm 文件(需要含 survey 工作表的 .xlsx)', en: 'The XLSForm file cannot be read (an .xlsx with a "survey" sheet is expected)' },
  FORM_UNCHANGED: { status: 409, zh: '草稿与最新发布的版本相同,无需重新发布', en: 'The draft is identical to the latest published version' },
  FORM_ARCHIVED: { status: 409, zh: '问卷已归档,不再接收数据', en: 'The form is archived and no longer accepts submissions' },
  FORM_NOT_PUBLISHED: { status: 409, zh: '问卷尚未发布', en: 'The form has not been published' },
  FORM_DRAFT_CONFLICT: { status: 409, zh: '草稿已被他人修改', en: 'Draft changed by someone else' },
  FORM_KIND_IMMUTABLE: { status: 409, zh: '已发布问卷的类型不能更改', en: 'The kind of a published form cannot change' },
  ANSWERS_INVALID: { status: 422, zh: '答卷内容有错误', en: 'The answers did not pass validation' },
  TIMESTAMPS_INVALID: { status: 422, zh: '答卷时间不合理', en: 'The submission timestamps are not plausible' },
  SUBMISSION_NOT_FOUND: { status: 404, zh: '答卷不存在', en: 'Submission not found' },
  SUBMISSION_CONFLICT: { status: 409, zh: '同一编号的答卷内容不同', en: 'A submission with this id but different content already exists' },
  INVALID_CURSOR: { status: 400, zh: '分页游标无效', en: 'The pagination cursor is invalid' },
  UNAUTHENTICATED: { status: 401, zh: '请先登录', en: 'Sign-in required' },
  DEVICE_UNAUTHORIZED: { status: 401, zh: '平板未登记或凭证无效', en: 'The device credential is missing or invalid' },
  DEVICE_REVOKED: { status: 401, zh: '该平板已被停用,请联系乡镇工作人员', en: 'This device has been revoked; contact township staff' },
  ENROLMENT_CODE_INVALID: { status: 400, zh: '登记码无效或已过期', en: 'The enrolment code is invalid, used or expired' },
  FORBIDDEN: { status: 403, zh: '没有权限执行此操作', en: 'You are not allowed to do this' },
  RATE_LIMITED: { status: 429, zh: '请求过于频繁,请稍后再试', en: 'Too many requests; try again later' },
  CSRF_FAILED: { status: 403, zh: '请求缺少有效的防跨站令牌,请刷新页面后重试', en: 'Missing or wrong CSRF token; reload the page and try again' },
  LOGIN_FAILED: { status: 401, zh: '用户名或密码不正确', en: 'Wrong username or password' },
  LOGIN_LOCKED: { status: 429, zh: '登录失败次数过多,请稍后再试', en: 'Too many failed sign-ins; try again later' },
  SESSION_EXPIRED: { status: 401, zh: '登录已过期,请重新登录', en: 'Your session has expired; sign in again' },
  PASSWORD_TOO_WEAK: { status: 422, zh: '密码至少需要 10 个字符', en: 'The password needs at least 10 characters' },
  USER_NOT_FOUND: { status: 404, zh: '用户不存在', en: 'User not found' },
  DUPLICATE_USERNAME: { status: 409, zh: '用户名已存在', en: 'That username is already in use' },
  SETUP_TOKEN_INVALID: { status: 403, zh: '初始化链接无效或已使用', en: 'The setup link is invalid or has been used' },
  SETUP_ALREADY_DONE: { status: 409, zh: '系统已有管理员,无需初始化', en: 'An administrator already exists' },
  DEVICE_NOT_FOUND: { status: 404, zh: '平板不存在', en: 'Device not found' },
  FORM_NOT_ASSIGNED: { status: 403, zh: '该问卷未分配给这台平板', en: 'This form is not assigned to this device' },
  REVIEW_TRANSITION_INVALID: { status: 409, zh: '审核状态不能这样变更', en: 'That review state change is not allowed' },
  REVISION_NOT_ALLOWED: { status: 409, zh: '只有户籍普查类问卷可以更正答案', en: 'Only census submissions can be corrected' },
  REVISION_UNCHANGED: { status: 409, zh: '更正内容与当前答案相同', en: 'The correction does not change any answer' },
  IDENTIFYING_DATA_REFUSED: { status: 422, zh: '匿名问卷不能包含身份信息', en: 'Anonymous forms must not carry identifying data' },
  ORG_UNIT_REQUIRED: { status: 400, zh: '请指定组织机构', en: 'Choose an org unit' },
  DATA_KEY_MISSING: { status: 500, zh: '缺少解密所需的密钥', en: 'The key needed to decrypt this data is not configured' },
  STORAGE_UNAVAILABLE: { status: 503, zh: '数据存储暂时不可用', en: 'Storage is unavailable' },
  INTERNAL: { status: 500, zh: '服务器内部错误', en: 'Internal server error' },
  INDICATOR_NOT_FOUND: { status: 404, zh: '指标不存在', en: 'Indicator not found' },
  INDICATOR_EXISTS: { status: 409, zh: '指标编号已存在', en: 'An indicator with this id already exists' },
  INDICATOR_BUILT_IN: { status: 409, zh: '内置指标不能删除', en: 'Built-in indicators cannot be deleted' },
  INDICATOR_DOES_NOT_FIT: { status: 422, zh: '指标与问卷不匹配', en: 'The indicator does not fit the form' },
  TARGET_NOT_FOUND: { status: 404, zh: '目标值不存在', en: 'Target not found' },
  WORK_PLAN_NOT_FOUND: { status: 404, zh: '工作计划指标不存在', en: 'Work-plan entry not found' },
  PERIOD_INVALID: { status: 400, zh: '统计期不正确(如 2026、2026S1、2026Q1、2026-03)', en: 'Unknown period (e.g. 2026, 2026S1, 2026Q1, 2026-03)' },
} as const satisfies Record<string, ErrorCodeInfo>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** "中文 / English": what a person reads when a client has no translation of its own for a code. */
export function bilingualMessage(code: ErrorCode): string {
  const info = ERROR_CODES[code];
  return `${info.zh} / ${info.en}`;
}
