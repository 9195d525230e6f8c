/** Test definitions for the answer validators (shared by the tests and the benchmark). */

export const MIXED_DEFINITION: Record<string, unknown> = {
  maxTextLength: 40,
  pages: [
    {
      name: 'p1',
      elements: [
        { type: 'radiogroup', name: 'sex', isRequired: true, choices: ['male', 'female'], showOtherItem: true },
        { type: 'checkbox', name: 'sources', choices: ['tv', 'radio', { value: 'doctor', text: { default: 'Doctor', 'zh-cn': '医生' } }, 'wechat'], showNoneItem: true, minSelectedChoices: 2, maxSelectedChoices: 3 },
        { type: 'boolean', name: 'smoker', isRequired: true },
        { type: 'rating', name: 'satisfaction', rateMin: 1, rateMax: 5 },
        { type: 'text', name: 'age', inputType: 'number', min: 15, max: 99, step: 1, isRequired: true },
        { type: 'text', name: 'visit_date', inputType: 'date' },
        { type: 'text', name: 'phone', maxLength: 11, validators: [{ type: 'regex', regex: '^1\\d{10}$' }] },
        { type: 'text', name: 'email', inputType: 'email' },
        { type: 'comment', name: 'remarks', maxLength: 20 },
        { type: 'text', name: 'cigarettes', inputType: 'number', visibleIf: '{smoker} = true', requiredIf: '{age} >= 18', validators: [{ type: 'numeric', minValue: 1, maxValue: 60 }] },
        { type: 'text', name: 'nickname', validators: [{ type: 'text', minLength: 2, maxLength: 8, allowDigits: false }] },
        { type: 'checkbox', name: 'symptoms', choices: ['a', 'b', 'c', 'd'], validators: [{ type: 'answercount', minCount: 1, maxCount: 2 }] },
        { type: 'text', name: 'children', inputType: 'number', validators: [{ type: 'expression', expression: '{children} <= {age}', text: '孩子数不合理' }] },
        { type: 'matrix', name: 'trust', isAllRowRequired: true, rows: ['doctor', 'cadre'], columns: [1, 2, 3] },
        { type: 'text', name: 'pain', inputType: 'range', min: 0, max: 10, step: 2 },
        { type: 'comment', name: 'why', isRequired: true, requiredIf: '{satisfaction} <= 2' },
        {
          type: 'panel', name: 'followup', enableIf: '{sex} = "male"',
          elements: [{ type: 'text', name: 'followup_phone', isRequired: true, validators: [{ type: 'regex', regex: '^1\\d{10}$' }] }],
        },
      ],
    },
    {
      name: 'p2',
      visibleIf: '{sex} = "female"',
      elements: [
        { type: 'radiogroup', name: 'pregnant', choices: ['yes', 'no'], isRequired: true },
        {
          type: 'panel', name: 'pregnancy', visibleIf: '{pregnant} = "yes"',
          elements: [{ type: 'text', name: 'weeks', inputType: 'number', min: 1, max: 42, isRequired: true }],
        },
      ],
    },
  ],
};

export const ROSTER_DEFINITION: Record<string, unknown> = {
  elements: [
    { type: 'radiogroup', name: 'mode', choices: ['short', 'full'], isRequired: true },
    { type: 'text', name: 'household_size', inputType: 'number', min: 1, max: 20 },
    {
      type: 'paneldynamic', name: 'members', minPanelCount: 1, maxPanelCount: 3, isRequired: true,
      templateElements: [
        { type: 'text', name: 'name', isRequired: true, maxLength: 10 },
        { type: 'boolean', name: 'has_id' },
        { type: 'text', name: 'national_id', visibleIf: '{panel.has_id} = true', isRequired: true, validators: [{ type: 'regex', regex: '^\\d{17}[\\dX]$' }] },
        { type: 'text', name: 'age', inputType: 'number', min: 0, max: 120, validators: [{ type: 'expression', expression: '{panel.age} empty or {panel.age} < {household_size} * 30' }] },
        { type: 'radiogroup', name: 'relation', choices: ['head', 'spouse', 'child', 'other'], requiredIf: '{panel.age} > 17' },
        { type: 'comment', name: 'note', visibleIf: "{mode} = 'full'" },
      ],
    },
  ],
};

export const CHOICES_DEFINITION: Record<string, unknown> = {
  pages: [
    {
      name: 'a',
      elements: [
        { type: 'boolean', name: 'consent', valueTrue: 'yes', valueFalse: 'no', isRequired: true },
        { type: 'dropdown', name: 'township', choices: [1, 2, 3], showRefuseItem: true },
        { type: 'tagbox', name: 'tags', choices: ['x|Ex', 'y|Why', 'z'] },
        { type: 'checkbox', name: 'methods', minSelectedChoices: 2, showOtherItem: true, choices: ['iud', 'pill', 'condom', { value: 'unknown', text: '不知道', isExclusive: true }] },
        { type: 'imagepicker', name: 'pic', choices: [{ value: 'lion', imageLink: 'l.png' }, { value: 'cat', imageLink: 'c.png' }], multiSelect: true },
        { type: 'rating', name: 'stars', rateValues: ['bad', 'ok', 'good'], isRequired: true },
        { type: 'radiogroup', name: 'know', choices: ['y', 'n'], showDontKnowItem: true, showCommentArea: true },
        { type: 'text', name: 'locked', enableIf: "{consent} = 'yes'", isRequired: true },
        { type: 'html', name: 'info', html: '<p>说明</p>' },
      ],
    },
    {
      name: 'b',
      visibleIf: "{consent} = 'yes'",
      elements: [{ type: 'comment', name: 'story', isRequired: true }],
    },
  ],
};

export const NESTED_DEFINITION: Record<string, unknown> = {
  elements: [
    { type: 'boolean', name: 'has_kids' },
    {
      type: 'paneldynamic', name: 'households', maxPanelCount: 2, panelCount: 2,
      templateElements: [
        { type: 'text', name: 'head', isRequired: true },
        {
          type: 'paneldynamic', name: 'kids', maxPanelCount: 2, visibleIf: '{has_kids} = true', minPanelCount: 1,
          templateElements: [
            { type: 'text', name: 'kname', isRequired: true },
            { type: 'text', name: 'kage', inputType: 'number', min: 0, max: 18, visibleIf: '{panel.kname} notempty', requiredIf: "{panel.kname} = 'a'" },
          ],
        },
      ],
    },
  ],
};
