# 网站的中文文案。每一条在 ../en/main.ftl 中都有对应的英文。

site-name = 外贸优品汇
site-tagline = 出口品质 · 内销渠道
skip-to-content = 跳到正文
nav-label = 账户
nav-login = 登录
nav-logout = 退出登录
switch-language = English
footer = 出口转内销 · 外贸优品对接平台
back-home = 返回首页

## Home
home-title = 首页
home-heading = 出口标准好货，如今内销供应
home-intro = 外贸企业发布富余库存与出口标准商品；商超、百货、酒店餐饮集团和电商平台在专属外贸专区和绿色通道采购需求中直接采购。
home-exporters = 已认证外贸企业 { $count } 家
home-buyers = 已认证采购商 { $count } 家
home-green-requests = { $count ->
    [0] 暂无进行中的绿色通道采购需求
   *[other] 绿色通道采购需求 { $count } 条进行中
}
home-live-zones = 正在开放的专区
home-upcoming-zones = 即将开放
home-no-zones = 目前没有开放的专区。
home-new-listings = 新上架商品
home-all-listings = 查看全部商品

## Search
search-title = 找货
search-label = 搜索
search-placeholder = 商品、品牌或货号，如：毛巾
search-button = 搜索
search-all = 全部商品
search-for = “{ $q }”的搜索结果
search-nothing = 没有找到匹配的商品，请减少关键词或换个筛选条件。
search-count = 共找到 { $count } 件商品
facets-label = 筛选结果
filter-any = 不限
sort-newest = 最新上架
sort-price_asc = 价格从低到高
sort-price_desc = 价格从高到低
sort-relevance = 最相关
pager-label = 分页
pager-first = 第一页
pager-next = 下一页
pager-previous = 上一页
pager-page = 第 { $page } 页

## Fields
field-q = 搜索词
field-category = 品类
field-province = 省份
field-certification = 认证
field-warehouse = 仓库
field-sort = 排序
field-seller = 卖家
field-limit = 每页数量
field-cursor = 页码
field-zone = 专区
field-min_price_cents = 最低价
field-max_price_cents = 最高价
field-in_stock = 有货
field-email = 邮箱
field-password = 密码

## Listings
listing-as-low-as = 低至 { $price }
listing-moq = 起订量 { $count } { $unit }
listing-tier-from = { $count } { $unit } 起
listing-stock = 可售 { $count } { $unit }
listing-lead-time = { $days } 天
listing-prices = 阶梯价格
listing-quantity = 数量
listing-unit-price = 单价
listing-moq-label = 起订量
listing-stock-label = 库存
listing-lead-time-label = 交货期
listing-markets = 出口市场
listing-brand = 品牌
listing-hs-code = HS 编码
listing-seller = 卖家
listing-zones = 所在专区
listing-description = 商品描述
listing-sold-out = 已售罄
lines-count = { $count } 行
seller-rating = 评分 { $rating } / 5
seller-no-rating = 暂无评分

warehouse-domestic = 国内仓
warehouse-bonded = 保税仓
warehouse-overseas = 海外仓

unit-piece = 件
unit-carton = 箱
unit-kg = 千克
unit-set = 套
unit-box = 盒
unit-pair = 双
unit-dozen = 打
unit-bag = 袋
unit-bottle = 瓶
unit-roll = 卷
unit-meter = 米
unit-ton = 吨
unit-liter = 升

## Zones
zone-kind-online_zone = 线上专区
zone-kind-store_counter = 门店专柜
zone-kind-exhibition = 展会
zone-kind-livestream = 直播
zone-state-live = 进行中
zone-state-upcoming = 即将开始
zone-state-over = 已结束
zone-state-always = 长期开放
zone-from = { $date } 起
zone-until = 至 { $date }
zone-listings-count = { $count } 件商品
zone-search-label = 在本专区搜索
zone-empty = 本专区还没有商品。

## Organizations
org-kind-exporter = 外贸企业
org-kind-buyer = 采购商
org-kind-operator = 专区运营方
buyer-type-supermarket = 商超
buyer-type-department_store = 百货商场
buyer-type-hotel = 酒店
buyer-type-catering = 餐饮集团
buyer-type-ecommerce_platform = 电商平台
buyer-type-wholesaler = 批发商
org-rating = 评分 { $rating } / 5（{ $count } 条评价）
org-green-channel = 绿色通道
org-listings = 在售商品

## Signing in
login-title = 登录
login-button = 登录
login-wrong = 邮箱或密码不正确。
login-too-many = 尝试次数过多，请几分钟后再试。
login-forgot = 忘记密码？

## Mailed links
verify-heading = 确认邮箱地址
verify-intro = 点击下面的按钮，确认这个邮箱属于您。
verify-button = 确认邮箱
verify-done-heading = 邮箱已确认
verify-done = 谢谢，您的邮箱地址已确认。
link-dead-heading = 链接已失效
link-dead = 链接无效、已过期或已被使用。请登录后重新获取。
reset-heading = 设置新密码
reset-intro = 设置后，所有已登录的设备都会退出登录。
invitation-heading = 欢迎加入外贸优品汇
invitation-intro = 设置密码，完成账户开通。
password-new-label = 新密码（至少 10 个字符）
password-save = 保存密码
password-saved-heading = 密码已保存
password-saved = 密码已设置，现在可以登录了。

## Errors
not-found-title = 页面不存在
not-found-text = 这个地址没有页面。
error-bad-request-title = 请求有误
error-bad-request = 无法读取提交的内容。请返回检查表单后重新提交。
error-forbidden-title = 无权操作
error-forbidden = 您无权进行此操作，或表单已过期、来自其他网站。请刷新页面后重试。
error-not-found-title = 未找到
error-not-found = 您要找的内容不存在或未公开。
error-conflict-title = 操作未成功
error-conflict = 内容已被更改或填写的值不被接受。请刷新页面后重试。
error-too-many-title = 请求过于频繁
error-too-many = 请稍等片刻再试。
error-busy-title = 系统繁忙
error-busy = 平台正忙或正在维护，您提交的内容没有丢失，请几秒后重试。
error-failed-title = 出错了
error-failed = 操作未能完成，没有做任何更改，请稍后再试。
reset-request-title = 重置密码
reset-request-intro = 请输入账户的邮箱地址。我们会发送一个设置新密码的链接，一小时内有效，只能使用一次。
reset-request-button = 发送重置链接
reset-request-sent = 如果该邮箱有对应的账户，重置链接已发出，请查收邮件。

## Certifications
cert-ccc = 3C 认证
cert-ce = CE
cert-fda = FDA
cert-iso9001 = ISO 9001
cert-three_same = 三同（同线同标同质）
cert-bay_area_standard = 湾区标准
cert-gb_compliant = 符合国标
cert-chinese_label_ready = 已备中文标签

## Registration
nav-register = 注册
register-title = 注册企业账户
register-intro = 外贸企业发布商品；商超、百货、酒店、餐饮集团、电商平台和批发商采购。每家企业都需经平台审核后才能交易。
form-has-errors = 部分内容需要修改，请查看字段旁的提示。
register-organization = 企业信息
register-org-name = 企业注册名称
register-kind = 企业类型
register-buyer-type = 采购商类型
register-buyer-type-none = （外贸企业请留空）
register-buyer-type-hint = 仅采购商填写。商超、百货和电商平台还可以开设专区。
register-credit-code = 统一社会信用代码
register-credit-code-hint = 营业执照上的 18 位代码（GB 32100-2015）：数字和大写字母，不含 I、O、S、V、Z；最后一位是校验码，输错会在这里提示。
register-customs-code = 海关注册编码
register-customs-code-hint = 仅外贸企业填写：10 位海关注册编码（字母或数字）。
register-owner = 账户负责人（您本人）
register-your-name = 姓名
register-password-hint = 至少 10 个字符；不能是常见密码，也不能与邮箱相同。
register-button = 注册
register-have-account = 已有账户？
register-email-taken = 该邮箱已注册。请直接登录或重置密码。
register-credit-code-taken = 该统一社会信用代码已有企业注册。
org-profile-title = 企业资料
org-profile-link = 企业资料
org-saved = 企业资料已保存。
org-resubmitted = 已重新提交审核，平台审核后会通知您。
org-rejected-title = 平台未通过您企业的审核
org-rejected-no-reason = 平台没有填写原因。
org-rejected-how = 请按原因修改下面的资料，说明修改了什么，然后重新提交审核。
org-rejected-ask-owner = 请联系企业的负责人或管理员修改资料并重新提交审核。
org-resubmit-note = 修改说明（给平台）
org-resubmit = 重新提交审核
org-rejected-notice = { $org } 未通过平台审核。
org-rejected-notice-link = 查看原因并重新提交
org-pending-notice = { $org } 正在等待平台审核。请点击邮件中的链接确认邮箱；审核通过后即可交易。
org-suspended-notice = { $org } 已被平台暂停：商品已下架，恢复前不能接新订单，也不能确认或发货；已有订单仍可取消。如需恢复，请联系平台。

## Procurement list and orders
nav-list = 采购清单
nav-orders = 订单
list-title = 采购清单
list-empty = 采购清单是空的。可以在商品页和专区页添加商品。
list-total = 合计
list-item = 商品
list-line-total = 金额
list-remove = 移除
list-update = 更新
list-add = 加入采购清单
checkout-title = 提交订单
checkout-intro = 按卖家拆分为多个订单，全部成功或全部不下单。从专区加入的商品按专区价结算。
checkout-not-verified = 企业通过平台审核后才能下单。
checkout-button = 提交订单
checkout-refused = 订单未提交，请查看下方提示。
field-delivery_address = 收货地址
field-delivery_province = 收货省份
field-note = 给卖家的备注
field-quantity = 数量
field-listing_id = 商品
field-zone_id = 专区
field-lines = 订单行
field-carrier = 承运商
field-tracking_number = 运单号
field-rating = 评分
field-comment = 评价
orders-placed = 我的订单
orders-received = 收到的订单
orders-just-placed = { $count ->
    [1] 订单已提交。
   *[other] 已按卖家提交 { $count } 个订单。
}
orders-none = 还没有订单。
orders-none-found = 没有符合条件的订单。
orders-all = 全部订单
orders-count = 共 { $count } 个订单
orders-search = 按订单号或对方名称查找
orders-search-platform = 按订单号、买方或卖方名称、统一社会信用代码查找
order-parties = 买方 → 卖方
orders-back = 全部订单
order-number = 订单
order-party = 对方
order-status = 状态
order-placed-at = 下单时间
order-buyer = 采购商：
order-seller = 卖家：
order-next-steps = 可进行的操作
order-reason = 原因（选填）
order-action = { $action ->
    [confirm] 确认订单
    [ship] 标记为已发货
    [deliver] 确认收货
    [complete] 完成订单
    [cancel] 取消订单
    [dispute] 发起争议
   *[other] { $action }
}
order-rating = 您的评分
order-comment = 评价（选填）
order-review-button = 提交评价
order-review = 评价
order-reviewed = 评价已提交，谢谢！卖家和其他采购商会看到您的评价。
review-rating = { $rating } 星（满分 5 星）
org-reviews = 采购商评价（{ $count } 条）
org-reviews-none = 还没有评价。
review-by = 来自{ $who }
review-by-buyer = 一位采购商
order-history = 订单记录
order-status-placed = 已下单
order-status-confirmed = 已确认
order-status-shipped = 已发货
order-status-delivered = 已收货
order-status-completed = 已完成
order-status-cancelled = 已取消
order-status-disputed = 争议中
problem-list_empty = 采购清单是空的，没有下单。
problem-list_changed = 采购清单在此期间已变化（可能在另一个窗口提交或修改过）。请重新查看后再下单。
problem-organization_not_verified = 企业通过平台审核后才能下单。
problem-forbidden = 您无权进行此操作。
problem-quote_revised = 出口商在您查看后修改了这份报价。新的报价条件显示在下方，请核对后再决定是否接受。
problem-organization_suspended = 该企业已被暂停，平台恢复前无法进行交易。
problem-stock_changed = 打开表单后库存已变化（期间有新订单）。已显示当前库存，请核对后重新保存。
problem-validation_failed = 部分字段填写有误。
problem-bad_request = 无法读取该请求。
problem-unauthorized = 请先登录。
problem-not_found = 未找到相关内容。
problem-method_not_allowed = 该地址不接受这种请求。
problem-conflict = 与同时进行的另一项更改冲突，请刷新页面后重试。
problem-invalid_transition = 当前状态下无法执行此操作，请刷新页面查看最新状态。
problem-rate_limited = 尝试次数过多，请稍后再试。
problem-payload_too_large = 提交的内容超过大小上限。
problem-unsupported_media_type = 不接受此类文件或内容。
problem-database_busy = 平台繁忙，请稍后再试。
problem-database_unavailable = 平台暂时无法访问数据，请稍后再试。
problem-unavailable = 服务暂时无法响应，请稍后再试。
problem-shutting_down = 服务正在重启，请稍后再试。
problem-internal_error = 我们这边出了问题。请重试；如仍出现，请联系平台。
problem-already_applied = 该商品已在此专区中待审核或已通过。
problem-already_requested = 已经提交过申请，平台处理前不能重复提交。
problem-already_reviewed = 该订单已评价过。
problem-amount_too_large = 金额超过单笔订单的上限。
problem-below_moq = 部分数量低于起订量。
problem-credit_code_taken = 使用该统一社会信用代码的企业已注册。
problem-csrf_failed = 此表单已过期，请刷新页面后重新提交。
problem-email_taken = 该邮箱已注册。
problem-green_channel_required = 只有绿色通道企业才能进行此操作。
problem-idempotency_key_reused = 此下单表单已用于另一笔订单，请刷新页面后重新下单。
problem-insufficient_stock = 库存不足，未预留任何库存。
problem-invalid_token = 该链接或验证码无效或已过期。
problem-last_owner = 企业至少需要一名所有者。
problem-rule_violation = 这违反了平台的规则。
problem-sku_taken = 您已有使用该货号的商品。
problem-slug_taken = 已存在使用该地址的专区。
problem-too_many_images = 该商品的图片已达上限。

## Exporter workspace
nav-my-listings = 我的商品
field-status = 状态
my-listings-title = 我的商品
my-listings-none = 这里还没有商品。可以导入表格批量添加。
my-listings-select = 选择
my-listings-actions = 操作
my-listings-publish-checked = 上架选中的商品
my-listings-none-checked = 请先勾选要上架的商品。
my-listings-action = { $action ->
    [publish] 上架
    [pause] 暂停
    [archive] 归档
   *[other] { $action }
}
my-listings-changed = 商品状态已改为：{ $status }。
my-listings-published = 已上架 { $count } 件商品。{ $refused ->
    [0] {""}
   *[other] { $refused } 件未能上架（已不是草稿或暂停状态）。
}
listing-status-draft = 草稿
listing-status-published = 在售
listing-status-paused = 已暂停
listing-status-archived = 已归档
listing-status-sold_out = 已售罄
listing-status-suspended = 已下架（平台）
import-title = 导入商品
import-intro = 上传 CSV（UTF-8 或 GBK）或 XLSX 表格，每行一个商品；货号已存在的行会更新该商品。只有全部行都正确才会写入。价格写在 prices 列，以元为单位：10:12.50;100:11.00 表示 10 件起每件 ¥12.50，100 件起每件 ¥11.00（旧文件的 price_tiers 列以分为单位，仍可导入）。导出的表格带有 exported_stock 列（导出时的库存）：重新导入时按您修改的差额调整库存，导出后已售出的数量不会被加回。
import-template = 按相同列导出我的商品
import-file = 表格文件（CSV 或 XLSX）
import-dry-run = 仅检查，不写入
import-button = 上传
import-no-file = 请选择要上传的文件。
import-too-large = 文件太大。
import-row = 行
import-column = 列
import-problem = 问题
import-tier = 价格第 { $n } 档
import-prices = 价格
field-prices = 价格
import-bad-rows = 文件中有 { $count } 处问题，未导入任何商品。请修改后重新上传。
import-would = 文件无误：将新建 { $created } 件、更新 { $updated } 件商品。取消勾选“仅检查”后重新上传即可导入。
import-done = 导入完成：新建 { $created } 件，更新 { $updated } 件，上架 { $published } 件。
import-publish-drafts = 去上架草稿

## Zone operators and admins
my-zones-title = 我的专区
my-zones-none = 您还没有运营的专区。
my-zones-public-page = 公开页面
queue-title = 入驻申请
queue-pending-count = { $count ->
    [0] 没有待审核的申请
   *[other] { $count } 条申请待审核
}
queue-pending-only = 只看待审核
queue-show-all = 全部申请
queue-empty = 没有待审核的申请。
queue-due = 审核截止
queue-overdue = 已超时
queue-zone-price = 专区价
queue-featured = 设为推荐
queue-approve = 通过
queue-reject = 拒绝
application-status-pending = 待审核
application-status-approved = 已通过
application-status-rejected = 已拒绝
application-status-withdrawn = 已撤回
application-status-removed = 已移出
admin-title = 企业审核
admin-search = 按名称或统一社会信用代码查找
admin-count = 共 { $count } 家企业
admin-none = 暂无。
admin-approve = 审核通过
admin-reject = 拒绝
admin-green-on = 开通绿色通道
admin-green-off = 关闭绿色通道
admin-green-granted = 已为 { $org } 开通绿色通道。
admin-green-ended = 已关闭 { $org } 的绿色通道。
admin-decided = { $org } 现在的状态：{ $status }。
org-status-pending = 待审核
org-status-verified = 已认证
org-status-rejected = 已拒绝
org-status-suspended = 已暂停
reports-title = 数据报表
report-from = 开始日期
report-to = 结束日期
report-show = 查看
report-download = 下载：
report-orders = { $count } 个订单
report-units = { $count } 件
report-other = 其他
report-earlier = 更早
report-by-month = 按月交易额
report-by-zone = 按专区交易额
report-by-province = 按省份交易额
report-by-category = 按品类交易额
report-budgets = 预算与实际采购
report-outside-zones = 专区外
field-from = 开始日期
field-to = 结束日期
report-exporters = { $count } 家外贸企业成交
report-buyers = { $count } 家采购商下单
report-no-data = 此期间没有订单。

## Mails and notifications (sent in the recipient's language)
mail-greeting = { $name }，您好：
mail-or-open = 或打开此链接：
mail-signature = 外贸优品汇 · 出口转内销对接平台
notice-open = 在外贸优品汇中查看
mail-confirm-subject = 请确认您的邮箱地址
mail-confirm-welcome = 欢迎加入外贸优品汇。{ $org } 已注册，正在等待平台审核。
mail-confirm-ask = 请确认您的邮箱地址，链接 48 小时内有效。
mail-confirm-button = 确认邮箱
mail-reset-subject = 重置外贸优品汇密码
mail-reset-body = 有人申请重置您外贸优品汇账户的密码。链接一小时内有效，只能使用一次。
mail-reset-ignore = 如果不是您本人操作，请忽略此邮件，您的密码不会改变。
mail-reset-button = 设置新密码
mail-invite-subject = { $org } 邀请您加入外贸优品汇
mail-invite-body = { $inviter } 已将您加入外贸优品汇上的 { $org }，角色为{ $role ->
    [owner] 负责人
    [manager] 管理员
   *[other] 成员
}。
mail-invite-ask = 请设置密码后登录，链接 7 天内有效。
mail-invite-button = 设置密码
notice-org-verified-title = 企业已通过审核
notice-org-verified-body = { $org } 已通过审核，现在可以在外贸优品汇交易了。{ $has_note ->
    [yes] { $has_note ->
    [yes] 平台备注：{ $note }
   *[no] {""}
}
   *[no] {""}
}
notice-org-rejected-title = 企业未通过审核
notice-org-rejected-body = { $org } 的审核未通过。{ $has_note ->
    [yes] 平台备注：{ $note }
   *[no] {""}
}
notice-org-suspended-title = 企业已被暂停
notice-org-suspended-body = { $org } 已被暂停，交易暂停至平台解除。{ $has_note ->
    [yes] 平台备注：{ $note }
   *[no] {""}
}
notice-green-granted-title = 已开通绿色通道
notice-green-granted-body = { $org } 已开通绿色通道：专区申请和采购需求优先处理。
notice-green-withdrawn-title = 绿色通道已关闭
notice-green-withdrawn-body = { $org } 的绿色通道已关闭。
notice-password-set-title = 您的密码已设置
notice-password-set-body = 您账户的密码已设置，其他所有登录已退出。如果不是您本人操作，请立即重置密码。
notice-listing-suspended-title = 商品已被下架：{ $title }
notice-listing-suspended-body = 平台下架了您的商品“{ $title }”（{ $sku }）。{ $has_note ->
    [yes] 平台备注：{ $note }
   *[no] {""}
}
notice-listing-reinstated-title = 商品已恢复：{ $title }
notice-listing-reinstated-body = 平台恢复了您的商品“{ $title }”（{ $sku }）。它现在处于暂停状态，请检查后重新上架。{ $has_note ->
    [yes] 平台备注：{ $note }
   *[no] {""}
}
notice-listing-reinstatement-declined-title = 恢复申请未通过：{ $title }
notice-listing-reinstatement-declined-body = 平台没有同意恢复您的商品“{ $title }”（{ $sku }）。{ $has_note ->
    [yes] 平台备注：{ $note }
   *[no] {""}
}修改后可以再次申请。
notice-order-placed-title = 来自 { $buyer } 的新订单
notice-order-placed-body = { $buyer } 下了一个 { $total } 的订单（{ $lines } 行）。
notice-order-changed-title = { $by ->
    [buyer] 采购商已{ $status ->
        [delivered] 确认收货
        [completed] 完成订单
        [cancelled] 取消订单
        [disputed] 发起争议
       *[other] { $status }
    }
   *[seller] 您的订单{ $status ->
        [confirmed] 已确认
        [shipped] 已发货
        [cancelled] 已被卖家取消
       *[other] { $status }
    }
}
notice-order-shipped-body = 订单 { $order } 已由 { $carrier } 发货，运单号 { $tracking }。
notice-order-changed-body = 订单 { $order } { $status ->
    [confirmed] 已确认
    [delivered] 已收货
    [completed] 已完成
    [cancelled] 已取消
    [disputed] 有争议
   *[other] { $status }
}。{ $has_note ->
    [yes] { $note }
   *[no] {""}
}
notice-quote-received-title = 收到报价：{ $request }
notice-quote-received-body = { $exporter } 报价每{ $unit } { $price }，数量 { $quantity } { $unit }。
notice-quote-not-chosen = 报价未被选中：{ $request }
notice-quote-accepted-title = 报价已被接受：{ $request }
notice-quote-accepted-body = 您的报价已被接受，已生成 { $total } 的订单。
notice-quote-closed = 报价{ $status ->
    [withdrawn] 已撤回
   *[rejected] 被拒绝
}：{ $request }
notice-request-green-title = 绿色通道采购需求：{ $request }
notice-request-invited-title = 邀请您报价：{ $request }
notice-request-body = { $buyer } 需要“{ $request }” { $quantity } { $unit }，{ $date } 前送达{ $province }。
notice-request-cancelled = 采购需求已取消：{ $request }
notice-application-approved-title = 已入驻 { $zone }
notice-application-approved-body = “{ $listing }”已进入专区 { $zone }。{ $has_note ->
    [yes] 运营方备注：{ $note }
   *[no] {""}
}
notice-application-declined-title = 未通过 { $zone } 的审核
notice-application-declined-body = “{ $listing }”未被专区 { $zone } 接受。{ $has_note ->
    [yes] 运营方备注：{ $note }
   *[no] {""}
}
notice-application-green-title = { $zone } 收到绿色通道申请
notice-application-new-title = { $zone } 收到新的入驻申请
notice-application-body = { $exporter } 申请将“{ $listing }”加入专区{ $green ->
    [yes] （绿色通道，请在 24 小时内审核）。
   *[no] 。
}

## 采购需求与报价
nav-requests = 采购需求
requests-mine = 我的采购需求
requests-for-me = 可报价的采购需求
requests-for-me-intro = 您经营品类中开放的需求和邀请您报价的需求；绿色通道需求排在最前。
requests-none = 暂无采购需求。
requests-back = ← 全部采购需求
request-post = 发布采购需求
request-post-intro = 该品类的外贸企业会看到您的需求并报价；您可以并排比较报价，接受其中一个即生成订单。
request-post-button = 发布需求
request-what = 采购内容
request-where-when = 交付与截止时间
request-target-hint = 选填。单价，以元为单位，例如 12.50。
request-expires-hint = 报价截止到当天结束（北京时间）。
request-green = 绿色通道
request-green-check = 通过绿色通道加急：立即通知该品类的所有外贸企业。
request-terms-hint = 选填。收货后多少天内付款（0 到 365 天）。
request-expires = 报价截止
request-commitments = 采购方承诺
request-pays-within = { $days } 天内付款
request-fees-waived = 免收外贸企业平台服务费
request-cancel = 取消此需求
request-cancelled = 需求已取消，已通知报价的企业。
request-quotes = { $count ->
    [0] 暂无报价
   *[other] { $count } 个报价
}
request-no-quotes = 还没有企业报价。每收到一个报价都会通知您。
request-your-quote = 您的报价
request-not-quoted = 您尚未对此需求报价。
request-status-open = 报价中
request-status-awarded = 已选定
request-status-cancelled = 已取消
request-status-expired = 已过期
quote-status-submitted = 已提交
quote-status-accepted = 已接受
quote-status-rejected = 已拒绝
quote-status-withdrawn = 已撤回
quote-status-expired = 已过期
quote-earlier = 历史版本
quote-accept = 接受并下单
quote-reject = 拒绝
quote-withdraw = 撤回报价
quote-send = 提交报价
quote-revise = 修改报价
quote-sent = 报价已提交，已通知采购方。
quote-rejected-notice = 已拒绝该报价，已通知报价企业。
quote-withdrawed-notice = 报价已撤回，已通知采购方。
quote-accepted-notice = 已接受报价。
choose-one = 请选择…
field-title = 标题
field-category_id = 品类
field-description = 描述
field-title_en = 英文标题
field-description_en = 英文描述
listing-in-english = 英文标题和描述（可选）
listing-in-english-hint = 英文读者看到英文标题和描述；不填则显示中文。两种语言都能被搜索到。
field-unit = 单位
field-target_price = 目标单价（元）
field-needed_by = 需求日期
field-expires_on = 报价截止日期
field-required_certifications = 必需认证
field-green_channel = 绿色通道
field-payment_terms_days = 付款期限（天）
field-visibility = 可见范围
field-invited_org_ids = 受邀企业
field-unit_price = 单价（元）
field-lead_time_days = 交货期（天）
field-valid_until = 有效期至
field-message = 给采购方的留言

## 商品表单
listing-new = 新建商品
listing-edit = 编辑商品
listing-new-intro = 新商品为草稿：添加图片后，在“我的商品”中上架。
listing-back-to-mine = ← 我的商品
listing-what = 商品信息
listing-selling = 销售条件
listing-origin = 产地与认证
listing-tier-qty = 起订数量
listing-tiers-hint = 最多 10 档；第一档从起订量开始，之后每档数量更大、价格不高于前一档。价格以元为单位，例如 12.50。
listing-markets-hint = 原出口市场，两位国家代码，用逗号分隔，例如 US, DE, JP。
listing-create = 创建草稿
listing-save = 保存修改
listing-created = 草稿已创建。添加图片后即可上架。
listing-saved = 修改已保存。
listing-sku-taken = 贵企业已有使用此货号的商品。
listing-images = 图片
listing-no-images = 暂无图片。
listing-view-public = 查看商品页面
listing-edit-link = 编辑
image-file = 图片文件
image-hint = JPEG、PNG 或 WebP，不超过 5 MB；最多 8 张。
image-upload = 上传图片
image-remove = 删除
image-added = 图片已添加。
image-removed = 图片已删除。
image-no-file = 请先选择图片文件。
image-not-an-image = 该文件不是 JPEG、PNG 或 WebP 图片。
image-too-large = 图片不能超过 5 MB。
field-sku = 货号
field-moq = 起订量
field-stock = 库存
field-price_tiers = 阶梯价格
field-origin_province = 产地省份
field-export_markets = 出口市场
field-brand = 品牌
field-hs_code = HS 编码
field-certifications = 认证
moderation-title = 内容审核
moderation-note = 下架原因
moderation-hint = 卖家会看到此说明；商品将立即从搜索和所有专区中移除。
moderation-suspend = 强制下架
field-reinstatement_note = 修改说明
suspension-title = 平台已下架此商品
suspension-reason = 下架原因：{ $reason }
suspension-no-reason = 平台没有填写下架原因。
reinstatement-how = 请按原因修改商品信息并保存，然后说明您改了什么，申请恢复上架。平台同意后，商品会回到“已暂停”状态，由您重新上架。
reinstatement-note = 您修改了什么
reinstatement-ask = 申请恢复上架
reinstatement-asked = 已提交恢复申请，平台处理后会通知您。
reinstatement-waiting = 您已于 { $at } 申请恢复上架，正在等待平台处理：
moderation-reinstate = 恢复商品
moderation-decline = 不同意恢复
moderation-decline-note = 不同意的原因
moderation-reinstate-hint = 恢复后商品处于“已暂停”状态，卖家检查后可重新上架。
moderation-reinstated = 商品已恢复，卖家已收到通知。
moderation-declined = 已回复卖家：暂不恢复。
suspended-title = 被下架的商品
suspended-search = 按标题、货号或卖家名称查找
suspended-requested-only = 只看申请恢复的
suspended-all = 全部
suspended-count = 共 { $count } 个被下架的商品
suspended-none = 没有被下架的商品。
suspended-asked = { $at } 申请恢复：

## 专区申请
nav-applications = 专区申请
applications-title = 我的专区申请
applications-intro = 在专区页面提交申请。策展人在 { $days } 天内审核，绿色通道企业的申请在 { $hours } 小时内审核。
applications-none = 暂无申请。
application-zone-price = 专区价（元）
application-review-due = 审核截止
application-withdraw = 撤回
application-withdrawn = 申请已撤回。
application-sent = 申请已提交，等待专区策展人审核。
application-approved-at-once = 商品已进入专区：您是符合规则的绿色通道企业，申请已自动通过。
apply-title = 将商品加入此专区
apply-no-listings = 您还没有可申请的已上架商品。
apply-zone-price-hint = 选填。面向本专区采购方的单价，须低于起订量时的价格。
apply-note = 给策展人的说明
apply-button = 提交申请
field-zone_price_cents = 专区价
field-zone_price = 专区价

## 专区表单
zone-new = 新建专区
zone-edit = 编辑专区
zone-back-to-mine = ← 我的专区
zone-new-intro = 新专区为草稿：设置规则后再开放申请。
zone-about = 专区信息
zone-schedule = 时间与预算
zone-schedule-hint = 展会和直播须填写起止日期；线上专区和门店专柜可以不设结束日期。日期按北京时间。
zone-budget-hint = 选填。采购预算（元），报表中与实际支出对比。
zone-rules = 准入规则
zone-categories-hint = 这些品类（含子品类）的商品可以申请。不选则不限品类。
zone-slug-hint = 专区地址：3 到 60 个小写字母、数字和连字符，例如 spring-kitchen-fair。留空则按专区名称的拼音生成。
zone-slug-taken = 该地址已被其他专区使用。
zone-create = 创建草稿
zone-save = 保存修改
zone-created = 专区已创建为草稿。
zone-saved = 修改已保存。
zone-queue-link = 申请审核队列
zone-status-draft = 草稿
zone-status-active = 已开放
zone-status-closed = 已关闭
zone-status-changed = 专区状态：{ $status }。
zone-action = { $action ->
    [activate] 开放专区
   *[close] 关闭专区
}
field-name = 名称
field-slug = 地址（slug）
field-kind = 类型
field-starts_on = 开始日期
field-ends_on = 结束日期
field-budget = 预算（元）
field-category_ids = 品类
field-green_channel_auto_approve = 符合规则的绿色通道企业自动通过

## 审计日志与发件箱
audit-title = 审计日志
audit-action = 操作（可填一部分，如 verified、suspend）
audit-object = 对象（ID 或订单号）
audit-actor = 操作人（邮箱、姓名或用户 ID）
audit-at = 时间
audit-details = 详情
audit-filter = 筛选
applications-count = 共 { $count } 个申请
requests-count = 共 { $count } 个采购需求
my-listings-count = 共 { $count } 件商品
audit-count = 共 { $count } 条记录
outbox-count = 共 { $count } 封
notifications-count = 共 { $count } 条通知
audit-none = 没有符合条件的记录。
audit-system = 系统
field-actor = 操作人
outbox-title = 邮件发件箱
outbox-intro = 所有邮件都经发件箱发出，失败后按递增间隔重试；多次重试仍失败的邮件在此等待手动重试。
outbox-status-failed = 发送失败
outbox-status-pending = 待发送
outbox-status-sent = 已发送
outbox-recipient = 收件人
outbox-subject = 主题
outbox-attempts = 尝试次数
outbox-when = 下次尝试或发送时间
outbox-retry = 重试
outbox-retried = 邮件已重新排队。
outbox-none = 暂无邮件。

## 校验提示（按英文原句索引，数字为 $n1、$n2）
check-must-be-one-of = 须为以下之一：{ $list }
check-is-required = 为必填项
check-must-be-a-whole-number = 须为整数
check-must-be-a-positive-whole-number = 须为正整数
check-must-be-a-positive-number-of-cents = 须为正的金额
check-must-be-an-amount-in-yuan-with-at-most-two-decimals = 须为以元为单位的金额，最多两位小数
check-must-be-a-date-like-n-n-n = 须为日期，例如 { $n1 }-{ $n2 }-{ $n3 }
check-must-be-in-the-future = 须晚于现在
check-must-not-be-in-the-past = 不能早于今天
check-must-be-between-n-and-n = 须在 { $n1 } 到 { $n2 } 之间
check-must-be-at-most-n-characters = 最多 { $n1 } 个字符
check-credit-code-character = 含有“{ $character }”，统一社会信用代码不使用这个字符（不含 I、O、S、V、Z）
check-credit-code-check-character = 最后一位校验码不对，请对照营业执照逐位核对
check-customs-code = 须为 10 位字母或数字
check-is-not-a-country-code = 不是国家代码（两位字母，例如 US、GB、DE；也可以写“英国”“德国”等常见市场名称）
check-price-tiers = 须写成 10:12.50;100:11.00（起订数量:单价，单价以元为单位，各档用分号隔开）
check-price-tiers-in-cents = 须写成 10:1250;100:1100（起订数量:单价，单价以分为单位）；新文件请用 prices 列，以元填写
check-must-be-a-positive-amount-of-yuan = 须为大于 0 的金额（元）
check-needs-at-least-one-tier = 至少要有一档价格
check-at-most-n-tiers = 最多 { $n1 } 档价格
check-the-first-tier-must-start-at-the-moq-n = 第一档须从起订量（{ $n1 }）开始
check-give-the-tiers-once-prices-in-yuan-or-price-tiers-in-cents = 价格只能写一列：prices（元）或 price_tiers（分）
check-must-be-at-least-n-characters = 至少 { $n1 } 个字符
check-is-not-a-known-category = 不是已知的品类
check-must-be-n-characters = 须为 { $n1 } 位
check-must-have-at-least-n-digits = 至少要有 { $n1 } 位数字
check-must-be-within-a-year-from-today = 须在今天起一年以内
check-must-be-n-letters-or-digits = 须为 { $n1 } 位字母或数字
check-must-be-an-email-address-like-name-example-com = 须为邮箱地址，例如 name@example.com
check-must-be-a-province-level-division-by-its-english-or-chinese-name-e-g-zhejiang-or = 须为省级行政区，例如 浙江
check-must-be-n-to-n-lower-case-letters-digits-and-hyphens = 须为 { $n1 } 到 { $n2 } 个小写字母、数字或连字符
check-must-be-after-starts-at = 须晚于开始日期
check-is-not-a-listing-on-sale = 不是在售商品
check-must-not-be-higher-than-the-previous-tier-s = 不能高于上一档的价格
check-must-be-larger-than-the-previous-tier-s = 须大于上一档的数量
check-must-be-zero-or-more = 不能为负数
check-must-not-contain-control-characters = 不能包含控制字符
check-must-not-contain-invisible-or-direction-changing-characters = 不能包含不可见字符或改变文字方向的字符
check-must-be-on-one-line = 只能写成一行
check-is-n-now = 现在是 { $n1 }
check-must-not-contain-the-nul-character = 不能包含 NUL 字符
check-each-row-needs-a-whole-quantity-and-a-price-in-yuan-with-at-most-two-decimals = 每行须填写整数数量和以元为单位的价格（最多两位小数）
check-is-required-choose-one-of-your-published-listings = 为必填项：请选择一件已上架商品
check-is-more-than-the-listing-s-stock-now = 超过商品当前库存
check-must-be-n-to-n-digits-dots-allowed-e-g-n-n = 须为 { $n1 } 到 { $n2 } 位数字（可含小数点），例如 { $n3 }.{ $n4 }
check-is-not-a-verified-exporter = 不是已认证的外贸企业
check-is-not-an-active-zone = 不是已开放的专区
check-is-not-one-of-your-listings = 不是贵企业的商品
check-must-be-n-to-n-printable-ascii-characters-without-spaces = 须为 { $n1 } 到 { $n2 } 个不含空格的可打印 ASCII 字符
check-may-hold-digits-spaces-and-only = 只能包含数字、空格和 + - ( )
check-must-not-be-one-character-repeated = 不能是同一字符的重复
check-must-not-be-the-name-of-your-email-address = 不能与邮箱用户名相同
check-must-start-with-http-or-https = 须以 http:// 或 https:// 开头
check-must-be-a-number-of-cents-between-n-and-n = 须为 { $n1 } 到 { $n2 } 分之间的金额
check-must-be-true-or-false = 须为是或否
check-must-be-a-number = 须为数字

## 操作被拒绝的原因（按英文原句索引）
check-the-request-is-awarded = 该需求已选定报价
check-the-request-is-cancelled = 该需求已取消
check-the-request-is-expired = 该需求已过期
check-the-quote-is-rejected = 该报价已被拒绝
check-the-quote-is-withdrawn = 该报价已撤回
check-the-quote-is-expired = 该报价已过期
check-the-quote-is-accepted = 该报价已被接受
check-your-quote-was-accepted-already = 您的报价已被接受
check-the-quote-changed-meanwhile = 该报价刚刚有变动，请刷新后重试
check-the-quote-or-its-request-changed-meanwhile = 报价或需求刚刚有变动，请刷新后重试
check-a-closed-zone-cannot-be-changed = 已关闭的专区不能修改
check-an-archived-listing-cannot-be-changed = 已归档的商品不能修改
check-the-stock-changed-meanwhile-reload-the-listing-and-try-again = 库存刚刚有变动，请刷新后重试
check-the-zone-is-closed-now = 该专区已关闭
check-the-zone-is-active-now = 该专区已开放
check-the-zone-is-draft-it-takes-applications-while-active = 该专区尚未开放，开放后才接受申请
check-the-zone-is-closed-it-takes-applications-while-active = 该专区已关闭，开放期间才接受申请
check-a-zone-that-is-active-cannot-be-activated = 专区已开放
check-a-zone-that-is-closed-cannot-be-activated = 已关闭的专区不能再开放
check-a-zone-that-is-closed-cannot-be-closed = 专区已关闭
check-the-application-is-withdrawn-now = 该申请已撤回
check-the-application-is-approved-now = 该申请已通过
check-the-application-is-rejected-now = 该申请已被拒绝
check-only-failed-mail-is-retried-this-one-is-pending = 只能重试发送失败的邮件；这封邮件正在等待发送
check-only-failed-mail-is-retried-this-one-is-sent = 只能重试发送失败的邮件；这封邮件已发送

## 账户
language-name = 简体中文
profile-title = 我的账户
profile-language = 语言
profile-language-hint = 页面、邮件和通知都将使用此语言。
profile-save = 保存
profile-saved = 已保存。
profile-change-password = 通过邮件修改密码
field-locale = 语言
check-is-not-a-known-category-its-id-slug-or-chinese-or-english-name = 不是已知的品类
quote-listing = 以在售商品报价
quote-no-listing = 不指定商品（另行备货）
quote-listing-hint = 选填。采购方接受报价时，从该商品库存中扣减报价数量。
quote-listing-link = 报价对应的商品

## 通知
nav-notifications = 通知
notifications-title = 通知
notifications-unread = { $count } 条未读
notifications-read-all = 全部标为已读
notifications-none = 暂无通知。与您相关的审核结果、报价和订单都会显示在这里，并通过邮件发送。
notifications-new = 新
notifications-open = 查看
notifications-mark-read = 标为已读
refused-title = 未能完成
refused-back = 返回
request-invited = 受邀企业
request-invited-hint = 只有勾选的企业能看到此需求并报价。全部取消勾选则向该品类所有外贸企业公开。
org-invite-to-quote = 邀请报价

## Labels of the API's other request fields, for errors that name them
field-action = 操作
field-budget_cents = 预算（分）
field-buyer_type = 采购方类型
field-contact_phone = 联系电话
field-credit_code = 统一社会信用代码
field-customs_code = 海关编码
field-decision = 决定
field-dry_run = 试运行
field-enabled = 启用
field-ends_at = 结束时间
field-expected_stock = 预期库存
field-expires_at = 报价截止时间
field-facets = 分面统计
field-featured = 推荐
field-file = 文件
field-format = 格式
field-ids = 编号
field-min_qty = 起始数量
field-mine = 我的商品
field-new_password = 新密码
field-object = 对象
field-organization = 企业
field-position = 排序位置
field-reason = 原因
field-consignee_name = 收货人
field-consignee_phone = 收货人电话
field-requested_delivery_date = 期望送达日期
delivery-date-hint = 可不填；卖家会在订单上看到这个日期。
field-requested = 只看申请恢复的
field-refresh_token = 刷新令牌
field-revision = 版本
field-role = 角色
field-rules = 准入规则
field-starts_at = 开始时间
field-target_unit_price_cents = 目标单价（分）
field-token = 令牌
field-unit_price_cents = 单价（分）
field-unread = 未读
field-website = 网站

## Validator sentences not coded yet, found by their words
check-is-a-filter-of-your-own-listings-add-mine-true = 仅用于筛选自己的商品：请加上 mine=true
check-is-below-the-minimum-order-quantity-of-n = 低于起订量 { $n1 }
check-is-longer-than-n-characters = 超过 { $n1 } 个字符
check-is-more-than-the-listing-s-stock-now-n = 超过该商品现有库存（{ $n1 }）
check-is-not-a-cursor-of-this-search = 不是本次搜索给出的页码
check-is-not-a-cursor-this-api-issued = 不是本接口给出的页码
check-is-not-a-known-zone = 不是已知的专区
check-is-one-of-the-most-common-passwords-choose-another = 是最常见的密码之一，请换一个
check-is-required-for-buyers = 采购方必填
check-is-required-for-exporters = 出口企业必填
check-is-required-when-the-other-end-of-the-schedule-is-given = 填写了排期的一端时，另一端也必填
check-is-required-zones-of-this-kind-are-scheduled = 必填：此类专区需要排期
check-is-required-send-the-image-in-a-multipart-part-named-file = 必填：请在名为 file 的表单部分中发送图片
check-is-unknown-expired-or-already-used = 无效、已过期或已被使用
check-must-be-n-to-n = 须为 { $n1 } 到 { $n2 }
check-must-be-a-date-yyyy-mm-dd-or-an-rfc-n-time = 须为日期（YYYY-MM-DD）或 RFC { $n1 } 时间
check-must-be-a-whole-number-of-cents = 须为以分计的整数
check-must-be-an-organization-id = 须为企业编号
check-must-be-buyer-or-seller = 须为 buyer（采购方）或 seller（卖方）
check-below-list-price = 须大于 0，且低于该商品起订量时的价格（{ $price }）
check-must-be-zh-cn-or-en = 须为 zh-CN 或 en
check-must-hold-n-to-n-ids = 须包含 { $n1 } 到 { $n2 } 个编号
check-only-n-left = 仅剩 { $n1 }
request-cancel-confirm = 取消后，出口企业不能再报价，已收到的报价都会被拒绝。此操作不能撤销。
request-cancel-yes = 确认取消此需求
order-confirm = { $action ->
    [cancel] 取消后订单不能恢复，已预留的库存会退回。确定要取消吗？
   *[other] 发起纠纷后订单将等待平台处理。确定要发起吗？
}

## Payments: terms, remittance, bank statements, ledger
problem-credit_limit_exceeded = 本订单将使您对该供应商的欠款超过其给予的信用额度。
problem-line_allocated = 该银行流水剩余可核销金额不足。
problem-payment_exceeds_due = 订单剩余应付金额少于本次核销金额。
problem-already_reversed = 该笔收款已冲销。
problem-refund_exceeds_paid = 退款不能超过已付金额。
check-not-with-terms = 该付款方式不需要此项
check-remittance-reference = 须为汇款识别码，如 TZ 4K7Q 9M2X 3ABC 5
check-statement-columns = 前 30 行中没有找到标明交易日期和收入金额（贷方发生额、收入金额等）的表头
check-statement-day = 须为日期，如 2026-12-04
check-statement-amount = 须为金额（元），如 1,250.00
check-statement-empty = 没有收入流水
notice-payment-received-title = 订单 { $order } 已收到付款
notice-payment-received-body = 供应商已登记订单 { $order } 收款 { $amount }。
notice-payments-received-title = { $seller } 已登记您的付款
notice-payments-received-body = { $seller } 根据银行流水登记了您的 { $count } 笔付款，共 { $amount }。
notice-payment-refunded-title = 订单 { $order } 已登记退款
notice-payment-refunded-body = 供应商已登记订单 { $order } 退款 { $amount }。{ $has_note ->
    [yes] 备注：{ $note }
   *[no] {""}
}
field-amount_cents = 金额
field-credit_limit_cents = 信用额度
field-deposit_percent = 定金比例（%）
field-file_name = 文件名
field-net_days = 货到后付款天数
field-order_id = 订单
nav-payments = 收款对账
terms-prepaid = 款到发货
terms-net = 货到后 { $days } 天内付款
terms-deposit = 预付 { $percent }% 定金，余款货到后 { $days } 天内付清
terms-kind-prepaid = 款到发货
terms-kind-deposit = 定金 + 账期
terms-kind-net = 货到后 N 天付款
payment-status-unpaid = 未付款
payment-status-partly_paid = 部分付款
payment-status-paid = 已付款
payment-status-overdue = 已逾期
payment-status-partly_refunded = 部分退款
payment-status-refunded = 已退款
payment-due-after-delivery = 收货后起算
payment-entry-payment = 收款
payment-entry-reversal = 冲销
payment-entry-refund = 退款
payment-title = 付款
payment-reference = 汇款识别码
payment-reference-buyer = 对公转账时请在附言中填写此识别码，供应商的银行流水即可对应到本订单。
payment-reference-seller = 采购商转账时会在附言中填写此识别码，导入银行流水时按此自动核销。
payment-deposit = 定金
payment-due = 应付日期
payment-paid = 已付
payment-outstanding = 待付
payment-refunded = 已退款
payment-day = 日期
payment-entry = 类型
payment-reverse = 冲销
payment-refund = 登记退款
payment-refund-amount = 退款金额（元，最多 { $max }）
payment-refund-done = 退款已登记。
payment-reverse-done = 该笔收款已冲销：订单恢复待付，对应的银行流水已回到待核销列表。
payment-grant-this-buyer = 给该采购商设置信用账期
payments-title = 银行流水与收款
payments-intro = 导入银行导出的流水（CSV 或 XLSX）：附言中带有订单汇款识别码且金额相符的流水会自动核销，其余流水在此手动核销。
statement-file = 银行流水文件（CSV 或 XLSX）
statement-file-hint = 已导入过的流水会自动跳过，支出流水不计入。
statement-import = 导入流水
statement-imported = 新增 { $lines } 条流水：自动核销 { $matched } 条，待手动核销 { $review } 条；{ $duplicates } 条此前已导入。
statement-allocated = 收款已记入订单。
statement-ignored = 该流水已搁置。
statement-lines-count = 共 { $count } 条流水
statement-line-review = 待核销
statement-line-allocated = 已核销
statement-line-ignored = 已搁置
statement-lines-none = 这里没有流水。
statement-payer = 付款方
statement-memo = 附言
statement-reference-unknown = （没有订单使用该识别码，可能填写有误）
statement-left = 待核销金额
statement-order = 订单号或汇款识别码
statement-order-hint = 例如 3F2A9C1E
statement-amount = 金额（元）
statement-allocate = 核销
statement-set-aside = 搁置
statement-set-aside-why = 搁置原因（这笔钱不是订单货款）
statement-recent = 最近导入
statement-none = 还没有导入过流水。
statement-imported-at = 导入时间
statement-lines = 流水数
statement-matched = 导入时自动核销
statement-review = 导入时待核销
statement-duplicates = 重复
terms-title = 账期与信用额度
terms-kind = 付款方式
terms-credit-limit = 信用额度（元，留空为不限）
terms-fields-hint = 天数和定金比例只用于需要它们的付款方式；信用额度限制一家采购商在账期内同时欠款的上限。
terms-defaults = 默认付款方式
terms-current = 当前
terms-limit-each = ，每家采购商信用额度 { $limit }
terms-no-limit = 不限
terms-save = 保存
terms-saved = 付款方式已保存，之后的订单按此执行。
terms-frozen = 已下的订单保持下单时的付款方式。
terms-grants = 给采购商的信用账期
terms-grants-none = 您还没有给任何采购商设置信用账期。
terms-owed = 当前欠款
terms-revoke = 撤销
terms-revoked = 信用账期已撤销，该采购商之后的订单按默认付款方式执行。
terms-grant = 设置信用账期
terms-buyer-credit-code = 采购商统一社会信用代码
terms-grant-button = 设置
terms-granted = 信用账期已设置。
check-order-not-found = 不是您的订单：请填写订单号（8 位）或汇款识别码
check-not-a-verified-buyer = 不是已认证采购商的统一社会信用代码
notice-payment-reminder-title = { $stage ->
    [1] 订单 { $order } 将于 { $due } 到期付款
    [2] 订单 { $order } 今天到期付款
   *[other] 订单 { $order } 已逾期未付款
}
notice-payment-reminder-body = { $side ->
    [buyer] 订单 { $order } 应付 { $amount }，{ $stage ->
        [3] 已于 { $due } 到期，尚未付款。
       *[other] 付款日期为 { $due }。
    }转账时请在附言中填写订单的汇款识别码。
   *[seller] 订单 { $order } 采购商应付 { $amount }，{ $stage ->
        [3] 已于 { $due } 到期，尚未付款。
       *[other] 付款日期为 { $due }。
    }
}
record-title = 付款记录
record-summary = 已到付款期的订单 { $due } 笔：按时付款 { $on_time } 笔，逾期付款 { $late } 笔，当前逾期 { $overdue } 笔，未到期 { $open } 笔。
record-pledges = 绿色通道付款承诺：守约 { $kept } 次，违约 { $broken } 次。
doc-order-title = 采购订单
doc-contract-title = 采购合同
doc-print-hint = 请用浏览器打印本页（A4）。
doc-number = 编号
doc-placed-on = 日期
doc-buyer = 买方
doc-seller = 卖方
doc-credit-code = 统一社会信用代码
doc-customs-code = 海关编码
doc-province = 所在省份
doc-phone = 电话
doc-total-words = 合计（人民币大写）
doc-seal = （盖章）
doc-signature = 授权代表签字：
doc-date = 日期：
contract-preamble = 买卖双方经外贸优品汇平台就下列采购达成一致，条款如下：
contract-clause-1 = 货物与价格：见上表；除另有说明外，价格含增值税。
contract-clause-2 = 质量：出口标准货物，与商品描述及认证一致；买方在收货后 7 日内验收。
contract-clause-3 = 交货：送至上述地址，如有要求到货日期，应在该日期前送达；货物风险自交付时转移至买方。
contract-clause-4 = 付款：{ $terms }，以对公转账方式支付，并在附言中填写上述汇款识别码。
contract-clause-5 = 售后：货物不符的，可按双方约定退货或换货；退款不超过已付金额。
contract-clause-6 = 争议：双方先行协商，协商不成可申请平台调解；仍不成的，由卖方所在地人民法院管辖。
doc-back = ← 返回订单
report-payments-by-zone = 按时付款情况（按专区）
report-payments-by-buyer-type = 按时付款情况（按采购商类型）
report-fell-due = 已到期
report-paid-on-time = 按时付款
report-paid-late = 逾期付款
report-overdue-now = 当前逾期
report-on-time-share = 按时率
report-none = 无
check-bank-account-number = 须为银行账号：6 到 40 位数字，可含空格或连字符
field-bank_name = 开户行
field-bank_account_name = 户名
field-bank_account_no = 账号
field-receiving_account = 收款账户
field-amount = 金额（元）
field-credit_limit = 信用额度（元）
colon = ：
payment-note = 备注
payment-account = 收款账户
payment-deposit-when = （发货前支付）
payment-reference-platform = 采购商转账时在附言中填写此识别码，供应商导入银行流水时按此核销。
payment-from = 付款方：{ $payer }
doc-order-note = 备注
statement-bad-rows = 流水文件中有 { $count } 处问题，未导入任何流水。请修改后重新上传。
terms-account = 收款账户（显示在采购商的订单上）
terms-grant-replaces = 为已有信用账期的采购商设置，会替换原有条款、额度和备注。
terms-edit = 修改
field-bank = 开户行
field-number = 账号
statement-restore = 放回待核销
statement-restored = 该流水已放回待核销列表。
nav-invoices = 发票
invoices-title = 发票
invoices-intro-seller = 采购商在订单上申请开票；开具后在此登记发票号码、日期、金额并上传电子发票，退货或取消后红冲。
invoices-intro-buyer = 在订单页选择开票信息申请增值税专用发票或普通发票，供应商开具后可在此下载。
invoices-count = 共 { $count } 张
invoices-none = 暂无发票。
invoices-statement-month = 对账月份
invoices-statement-format = 格式
invoices-statement-download = 下载发票月度对账单
invoice-status-requested = 待开票
invoice-status-issued = 已开票
invoice-status-reversed = 已红冲
invoice-status-withdrawn = 已撤回
invoice-status-declined = 已拒开
invoice-kind-special = 增值税专用发票
invoice-kind-ordinary = 增值税普通发票
invoice-reason-cancellation = 订单取消
invoice-reason-refund = 退款
invoice-reason-return = 销货退回
invoice-reason-mistake = 开票有误
invoice-left = 可开票金额：{ $amount }
invoice-nothing-left = 本订单已无可开票金额。
invoice-asked = 申请金额 { $amount }
invoice-download = 下载电子发票（{ $kind }）
invoice-amount-yuan = 价税合计（元）
invoice-issue = 登记已开发票
invoice-decline = 拒绝开票
invoice-reverse = 红冲
invoice-withdraw = 撤回申请
invoice-request = 申请开票
invoice-no-profile = 申请开票前请先添加开票信息。
invoice-reversal-due = 已开发票金额超过订单现应付金额（订单已取消或已退款），请红冲后按剩余金额重新开票。
invoice-requested = 已提交开票申请，供应商开票后会通知您。
invoice-issued = 发票已登记，已通知采购商。
invoice-withdrawn = 开票申请已撤回。
invoice-declined = 已拒绝该开票申请，已通知采购商。
invoice-reversed = 发票已红冲，已通知采购商。
invoice-file-too-large = 电子发票文件不能超过 5 MB。
invoice-profiles-title = 开票信息
invoice-profiles-intro = 开具增值税发票所用的抬头、纳税人识别号、地址电话和开户行账号。申请时会复制一份到订单上，之后修改不影响已申请的发票。
invoice-profiles-none = 还没有开票信息。
invoice-profile-complete = 可开专票和普票
invoice-profile-ordinary-only = 仅可开普票（专票需填写地址、电话、开户行和账号）
invoice-profile-delete = 删除
invoice-profile-add = 添加开票信息
invoice-profile-change = 修改开票信息
invoice-profile-save = 保存
invoice-profile-cancel-edit = 取消修改
invoice-profile-saved = 开票信息已保存。
invoice-profile-deleted = 开票信息已删除。
invoice-profile-special-needs = 开具专票还需以下四项：
invoice-col-day = 日期
invoice-col-number = 发票号码
invoice-col-reverses = 红冲原发票号码
invoice-col-kind = 发票种类
invoice-col-order = 订单号
invoice-col-buyer = 购买方
invoice-col-seller = 销售方
invoice-col-title = 发票抬头
invoice-col-taxpayer = 纳税人识别号
invoice-col-amount = 价税合计（元）
invoice-col-status = 状态
invoice-col-net = 本月合计
field-invoice_title = 发票抬头
field-taxpayer_id = 纳税人识别号
field-address = 注册地址
field-phone = 电话
field-bank_account = 银行账号
field-profile_id = 开票信息
field-invoice_number = 发票号码
field-issued_on = 开票日期
field-reversal_number = 红字发票号码
field-month = 月份
check-invoice-number = 应为发票号码：8 位数字，数电票为 20 位
check-needed-for-special-invoice = 开具增值税专用发票必填，请先完善开票信息
check-not-after-today = 不能晚于今天
check-month = 须为年月，例如 2026-12
check-invoice-profile = 不是本单位的开票信息
check-invoice-file-type = 应为 PDF、OFD 或 XML 格式的电子发票
check-invoice-file-unreadable = 看似 PDF、OFD 或 XML 文件，但文件不完整或无法读取
problem-invoice_requested = 本订单已有待处理的开票申请。
problem-nothing_to_invoice = 本订单已无可开票金额。
problem-invoice_exceeds_total = 开票金额超过订单可开票金额（订单总额减去退款和已开发票）。
problem-invoice_number_taken = 该发票号码已登记过。
problem-invoice_closed = 该发票已被处理，请刷新后查看最新状态。
notice-invoice-requested-title = 订单 { $order } 申请开票
notice-invoice-requested-body = 采购商申请就订单 { $order } 开具{ $kind }，金额 { $amount }。{ $has_note ->
    [yes] 备注：{ $note }
   *[no] {""}
}
notice-invoice-issued-title = 订单 { $order } 的发票已开具
notice-invoice-issued-body = 供应商已开具订单 { $order } 的发票，号码 { $number }，金额 { $amount }，可在订单页下载。
notice-invoice-withdrawn-title = 订单 { $order } 的开票申请已撤回
notice-invoice-withdrawn-body = 采购商撤回了订单 { $order } 的开票申请。
notice-invoice-declined-title = 订单 { $order } 的开票申请被拒绝
notice-invoice-declined-body = 供应商未就订单 { $order } 开票。{ $has_note ->
    [yes] 原因：{ $note }
   *[no] {""}
}
notice-invoice-reversed-title = 订单 { $order } 的发票已红冲
notice-invoice-reversed-body = 供应商已红冲订单 { $order } 的发票 { $number }（{ $reason }）。{ $has_note ->
    [yes] 备注：{ $note }
   *[no] {""}
}
field-counterparty = 往来单位
account-title = 对账单
account-show = 查看
account-download-xlsx = 下载 XLSX
account-balance = 当前应收余额
account-overdue = 其中已逾期
account-uninvoiced = 未开票金额
account-period = { $period } 期间往来
account-nothing = 本期没有往来。
account-period-total = 本期合计
account-outstanding = 未结清订单
account-outstanding-none = 没有未结清的订单。
account-col-day = 日期
account-col-kind = 类型
account-col-order = 订单号
account-col-reference = 单据 / 状态
account-col-charged = 应收（元）
account-col-received = 收款（元）
account-col-refunded = 退款（元）
account-col-invoiced = 开票（元）
account-kind-order = 订单
account-kind-payment = 收款
account-kind-reversal = 收款冲销
account-kind-refund = 退款
account-kind-invoice = 开票
account-kind-invoice_reversed = 发票红冲
remedy-refund = 仅退款
remedy-return_refund = 退货退款
remedy-replacement = 换货
remedy-none = 驳回申请
case-status-open = 待卖家处理
case-status-offered = 卖家提出其他方案
case-status-refused = 卖家拒绝
case-status-escalated = 平台介入中
case-status-agreed = 已达成，待执行
case-status-returning = 买家退货中
case-status-resolved = 已完结
case-status-withdrawn = 已撤销
case-step-agree = 同意买家诉求
case-step-offer = 提出其他方案
case-step-refuse = 拒绝
case-step-accept = 接受卖家方案
case-step-escalate = 申请平台介入
case-step-decide = 平台裁决
case-step-return = 已寄回货物
case-step-settle = 执行完毕（退款 / 收货入库 / 换货发出）
case-step-withdraw = 撤销售后申请
after-sales-title = 售后
after-sales-open = 申请售后
after-sales-intro = 选择有问题的商品和数量，说明原因，申请仅退款、退货退款或换货。卖家 { $days } 天内未处理，或拒绝、提出其他方案时，可申请平台介入。
after-sales-quantity = 售后数量（共 { $bought }）
after-sales-refund-yuan = 申请退款金额（元）
after-sales-asked = 申请：{ $remedy } { $amount }
after-sales-offer = 卖家方案：{ $remedy } { $amount }
after-sales-outcome = 结果：{ $remedy } { $amount }
after-sales-respond-by = 卖家处理截止：{ $at }
after-sales-decided = 平台已裁决
after-sales-opened = 售后申请已提交，已通知卖家。
after-sales-step-done = 已处理：{ $step }。
after-sales-none = 暂无售后申请。
after-sales-queue = 售后纠纷
after-sales-queue-intro = 买卖双方未能协商一致、申请平台介入的售后单。打开订单查看双方说明并裁决。
order-status-after_sales_opened = 申请售后
order-status-after_sales_agree = 卖家同意售后诉求
order-status-after_sales_offer = 卖家提出其他方案
order-status-after_sales_refuse = 卖家拒绝售后
order-status-after_sales_accept = 买家接受卖家方案
order-status-after_sales_escalate = 申请平台介入
order-status-after_sales_decide = 平台裁决
order-status-after_sales_return = 买家寄回货物
order-status-after_sales_settle = 售后执行完毕
order-status-after_sales_withdraw = 买家撤销售后
notice-case-title = 订单 { $order } 的售后有新进展
notice-case-opened-body = 买家就订单 { $order } 申请售后：{ $remedy } { $amount }。{ $has_note ->
    [yes] 原因：{ $note }
   *[no] {""}
}
notice-case-step-body = 订单 { $order } 的售后：{ $step }。{ $has_note ->
    [yes] 说明：{ $note }
   *[no] {""}
}
notice-case-escalated-title = 订单 { $order } 的售后申请平台介入
notice-case-escalated-body = 订单 { $order } 的买卖双方未能就售后达成一致，请查看并裁决。
problem-case_open = 本订单已有处理中的售后申请。
problem-case_changed = 售后单已有新进展，请刷新查看后再操作。
problem-too_early = 卖家处理期限未到，暂不能申请平台介入。
field-remedy = 售后方式
field-refund_cents = 退款金额
field-refund = 退款金额
field-version = 版本
field-line_no = 订单行号
notice-case-unanswered-body = 卖家未在处理期限内答复订单 { $order } 的售后申请，买卖双方现在都可以申请平台介入。
reason-required = 原因
after-sales-refund-step = 退款金额（元）
check-refund-up-to = 须大于零且不超过 { $max }（所选商品的金额）
check-period = 须不晚于结束日期，且期间最长 { $days } 天
