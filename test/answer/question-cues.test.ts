import assert from 'node:assert/strict'
import { test } from 'node:test'
import { askedRateOf, askedUnitOf, holdsQuantityIn, sentenceFitsExpectation } from '../../src/answer/question-cues.ts'

test('an English question names its unit as a Chinese one would', () => {
  assert.equal(askedUnitOf('How many tonnes of crayfish were produced?'), '吨')
  assert.equal(askedUnitOf('How many square kilometres is the town?'), '平方公里')
  assert.equal(askedUnitOf('How many households were lifted out of poverty?'), '户')
  assert.equal(askedUnitOf('How many villages are there?'), undefined)
  assert.equal(askedUnitOf('投资了多少万元?'), '元')
})

test('a quantity asked per day must be given per day, beside a number', () => {
  const perDay = askedRateOf('大厅一天能接待多少群众？')!
  assert.ok(perDay.test('日供水能力3000吨'))
  assert.ok(perDay.test('日均接待群众200人次'))
  assert.ok(!perDay.test('窗口工作人员的日常工作表现与年终评先表优挂钩'))
  assert.ok(!perDay.test('进驻9家窗口单位'))
  assert.ok(askedRateOf('How many visitors a day?')!.test('每天接待游客500人'))
  assert.equal(askedRateOf('大厅有多少个窗口？'), undefined)
})

test('an area asked for is given in any unit of area; a unit the question names stays that unit', () => {
  const area = askedUnitOf('神山镇新栽的奇异果有多大面积？')!
  assert.ok(holdsQuantityIn('新发展猕猴桃种植3000亩', area))
  assert.ok(holdsQuantityIn('陆地面积为1.601 km²', area))
  assert.ok(!holdsQuantityIn('贫困户942户3581人脱贫', area))
  assert.equal(askedUnitOf('神山镇的总面积是多少平方公里?'), '平方公里')
})

test('money asked in 元 is given in any 元 currency, and still needs a number with it', () => {
  const unit = askedUnitOf('泰森食品公司共斥资多少钱收购了希尔夏品牌？')
  assert.equal(unit, '元')
  assert.ok(holdsQuantityIn('斥资77亿美元收购希尔夏品牌', unit!))
  assert.ok(holdsQuantityIn('票价为500港元', unit!))
  assert.ok(holdsQuantityIn('投资近300万元新建', unit!))
  assert.ok(!holdsQuantityIn('以美元结算', unit!))
  assert.ok(!holdsQuantityIn('面积300平方米', unit!))
})

test('a sentence that states a cause and its consequence with 于是 holds a reason', () => {
  assert.ok(sentenceFitsExpectation('全岛所需要的水都得用牛车载到此，于是这个地区就称为牛车水。', 'reason'))
  assert.ok(!sentenceFitsExpectation('牛车水是新加坡的唐人街。', 'reason'))
})

test('a sentence saying what a thing was renamed (改称) gives its names', () => {
  assert.ok(sentenceFitsExpectation('1919年，在北京成立石景山钢铁厂，1958年改称石景山钢铁公司。', 'alias'))
  assert.ok(!sentenceFitsExpectation('1919年，在北京成立石景山钢铁厂。', 'alias'))
})
