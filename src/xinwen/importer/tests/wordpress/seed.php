<?php
// The test site's content, written through WordPress's own API (the text is the project's own).
// `php seed.php install` creates the site; `php seed.php content` adds authors, categories,
// posts in the shapes editors make (classic, block editor, captions, galleries, a PDF,
// a multi-page post, password/private/draft) and pages. Prints a JSON summary.
if ($argv[1] === 'install') {
	define('WP_INSTALLING', true);
}
require __DIR__ . '/boot.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/image.php';

if ($argv[1] === 'install') {
	wp_install('华景集团', 'admin', 'admin@example.org', true, '', wp_generate_password(24));
	update_option('blogdescription', '华景集团新闻中心');
	update_option('timezone_string', 'Asia/Shanghai');
	update_option('gmt_offset', '');
	update_option('permalink_structure', '/%category%/%post_id%.html');
	delete_option('rewrite_rules');  // rebuilt by the first request
	wp_delete_post(1, true);  // "Hello world!" is WordPress's text, not ours; Sample Page stays as every site has it
	echo json_encode(array('installed' => true));
	exit;
}

mt_srand(17);
$authors = array();
foreach (array('wangxm' => '王晓明', 'lijing' => '李静', 'zhangwei' => '张伟', 'chenfang' => '陈芳') as $login => $name) {
	$authors[] = wp_insert_user(array('user_login' => $login, 'display_name' => $name, 'nickname' => $name,
		'user_pass' => wp_generate_password(20), 'role' => 'author', 'user_email' => "$login@example.org"));
}
function term($name, $slug, $parent = 0) {
	$result = wp_insert_term($name, 'category', array('slug' => $slug, 'parent' => $parent));
	return $result['term_id'];
}
$news = term('新闻中心', 'news');
$cats = array(
	'company' => term('公司动态', 'company', $news),
	'media' => term('媒体报道', '媒体报道', $news),  // a Chinese slug: its permalinks are percent-encoded
	'notice' => term('通知公告', 'notice'),
	'news' => $news,
);

function image($parent, $name, $caption, $ym, $rgb) {
	$im = imagecreatetruecolor(640, 400);
	imagefill($im, 0, 0, imagecolorallocate($im, $rgb[0], $rgb[1], $rgb[2]));
	imagestring($im, 5, 24, 24, $name, imagecolorallocate($im, 255, 255, 255));
	ob_start();
	imagejpeg($im, null, 80);
	return upload($parent, "$name.jpg", ob_get_clean(), 'image/jpeg', $caption, $ym);
}
function upload($parent, $file, $bits, $mime, $caption, $ym) {
	$up = wp_upload_bits($file, null, $bits, $ym);
	if (!empty($up['error'])) { fwrite(STDERR, $up['error']); exit(1); }
	$id = wp_insert_attachment(array('post_mime_type' => $mime, 'post_title' => pathinfo($file, PATHINFO_FILENAME),
		'post_excerpt' => $caption, 'post_content' => '', 'post_status' => 'inherit'), $up['file'], $parent);
	wp_update_attachment_metadata($id, wp_generate_attachment_metadata($id, $up['file']));
	return array($id, $up['url']);
}
function pdf($parent, $name, $ym) {
	$body = "BT /F1 18 Tf 72 720 Td (Annual report) Tj ET";
	$objects = array('<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
		"<< /Length " . strlen($body) . " >>\nstream\n$body\nendstream", '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>');
	$pdf = "%PDF-1.4\n";
	$offsets = array();
	foreach ($objects as $i => $object) { $offsets[] = strlen($pdf); $pdf .= ($i + 1) . " 0 obj\n$object\nendobj\n"; }
	$xref = strlen($pdf);
	$pdf .= "xref\n0 " . (count($objects) + 1) . "\n0000000000 65535 f \n";
	foreach ($offsets as $offset) { $pdf .= sprintf("%010d 00000 n \n", $offset); }
	$pdf .= "trailer\n<< /Size " . (count($objects) + 1) . " /Root 1 0 R >>\nstartxref\n$xref\n%%EOF\n";
	return upload($parent, "$name.pdf", $pdf, 'application/pdf', '', $ym);
}
function post($title, $category, $author, $date, $content = '', $extra = array()) {
	global $cats, $authors;
	$id = wp_insert_post(array_merge(array('post_title' => $title, 'post_content' => $content, 'post_status' => 'publish',
		'post_author' => $authors[$author], 'post_date' => $date, 'post_category' => array($cats[$category])), $extra), true);
	if (is_wp_error($id)) { fwrite(STDERR, $id->get_error_message()); exit(1); }
	return $id;
}
function set_content($id, $content) {
	wp_update_post(array('ID' => $id, 'post_content' => $content));
}
function p($text) { return "<!-- wp:paragraph -->\n<p>$text</p>\n<!-- /wp:paragraph -->\n\n"; }
function figure($id, $url, $caption) {
	return "<!-- wp:image {\"id\":$id,\"sizeSlug\":\"full\",\"linkDestination\":\"none\"} -->\n<figure class=\"wp-block-image size-full\">"
		. "<img src=\"$url\" alt=\"\" class=\"wp-image-$id\"/><figcaption class=\"wp-element-caption\">$caption</figcaption></figure>\n<!-- /wp:image -->\n\n";
}

// Ordinary news in both editors: sentences of our own, combined per post.
$subjects = array('集团总部', '华景制造公司', '华景物流公司', '研发中心', '华景能源公司', '华景置业公司', '人力资源部', '安全环保部');
$actions = array('召开年度工作会议', '开展安全生产专项检查', '举办新员工入职培训', '签署战略合作协议', '启动质量提升行动',
	'组织消防应急演练', '召开党风廉政建设会议', '开展节能降耗竞赛', '举行技术攻关表彰会', '推进数字化车间建设',
	'召开客户座谈会', '开展志愿服务活动', '举办职工运动会', '发布社会责任报告', '召开科技创新大会', '开展供应链协同调研');
// Every sentence names its unit and a number of its own, so no paragraph repeats across posts
// (a repeated paragraph would look like template furniture to an importer).
$sentences = array(
	'会议总结了%s上一阶段的工作成效，对下一步%d项重点任务作出部署。',
	'%s各部门负责人围绕提质增效、风险防控和人才培养等议题进行了交流，共提出建议%d条。',
	'活动现场气氛热烈，%s参加活动的%d名职工纷纷表示收获很大。',
	'据介绍，%s的这项工作将持续%d天，分为动员部署、全面实施和总结提升三个阶段。',
	'下一步，%s将进一步完善制度流程，确保%d项措施落到实处。',
	'检查组深入%s生产一线，查看了设备运行记录和隐患整改台账，现场指出问题%d个。',
);
$ids = array();
$years = array(2018, 2019, 2020, 2021, 2022, 2023, 2024);
for ($i = 0; $i < 16; $i++) {
	$subject = $subjects[$i % count($subjects)];
	$title = $subject . $actions[$i];
	$category = array('company', 'company', 'media', 'notice')[$i % 4];
	$date = sprintf('%d-%02d-%02d %02d:%02d:00', $years[$i % 7], 1 + ($i * 5) % 12, 1 + ($i * 7) % 27, 8 + $i % 10, ($i * 13) % 60);
	$picked = array();
	for ($k = 0; $k < 3; $k++) { $picked[] = sprintf($sentences[($i + $k * 2) % count($sentences)], $subject, 12 + $i * 7 + $k); }
	$lead = sprintf('%d月%d日，', (int) substr($date, 5, 2), (int) substr($date, 8, 2)) . $title . '。';
	if ($i % 2) {  // the block editor
		$content = p($lead . $picked[0]) . p($picked[1]) . p($picked[2]);
	} else {  // the classic editor: paragraphs separated by blank lines, wpautop adds <p>
		$content = $lead . $picked[0] . "\n\n" . $picked[1] . "\n\n" . $picked[2];
	}
	$extra = $i % 5 == 0 ? array('tags_input' => array('安全生产', '职工')) : array();
	if ($i == 5) {  // in two categories: its own (the lowest id, as its permalink says) and 通知公告 too
		$extra['post_category'] = array($cats['notice'], $cats[$category]);
	}
	$ids[] = post($title, $category, $i % 4, $date, $content, $extra);
}

// 记者 inside sentences: never an author line, never a lost paragraph.
$ids[] = post('老工匠周建国的五十年', 'media', 1, '2019-09-10 10:15:00',
	"在华景制造公司的老厂房里，退休工程师周建国告诉记者，他年轻时每天第一个到车间，最后一个离开。\n\n"
	. "“那时候条件艰苦，可大家心里有一股劲。”他一边翻看泛黄的笔记本，一边回忆当年攻克难题的日子。\n\n"
	. "如今，他带出的徒弟已有三十多人，不少已成为技术骨干。记者在现场看到，他仍然每周回厂里为青年职工讲课。",
	array('tags_input' => array('工匠精神')));
$ids[] = post('新能源重卡示范线路正式开通', 'media', 2, '2021-06-18 15:40:00',
	p('6月18日，华景物流公司新能源重卡示范线路正式开通，首批二十辆车投入运营。')
	. p('公司负责人在接受记者采访时表示，示范线路每年可减少柴油消耗约六百吨。')
	. p('据了解，示范线路全长一百八十公里，沿线建有两座换电站。'));

// [caption] in the classic editor.
$id = post('集团举办2019年度科技创新成果展', 'company', 0, '2019-12-20 09:30:00');
list($img, $url) = image($id, 'expo-hall', '成果展现场，参观者在展台前驻足交流', '2019/12', array(40, 90, 160));
set_content($id, "12月20日，集团2019年度科技创新成果展在总部展厅开幕，共展出各单位科技成果六十八项。\n\n"
	. "[caption id=\"attachment_$img\" align=\"aligncenter\" width=\"640\"]<img class=\"size-full wp-image-$img\" src=\"$url\" alt=\"\" width=\"640\" height=\"400\" /> 成果展现场，参观者在展台前驻足交流[/caption]\n\n"
	. "展览分为智能制造、绿色低碳和数字服务三个板块，将持续开放两周。");
$ids[] = $id;

// [gallery] in the classic editor.
$id = post('“绿色工厂”开放日活动侧记', 'company', 3, '2020-10-16 14:00:00');
$gallery = array();
foreach (array(array('open-day-1', '来访市民参观光伏发电屋顶'), array('open-day-2', '技术人员讲解污水循环处理流程'), array('open-day-3', '小朋友在科普展板前合影')) as $n => $shot) {
	$gallery[] = image($id, $shot[0], $shot[1], '2020/10', array(30 + 60 * $n, 140, 80))[0];
}
set_content($id, "10月16日，华景制造公司举办“绿色工厂”开放日，邀请周边社区居民走进厂区。\n\n[gallery ids=\"" . implode(',', $gallery) . "\"]\n\n"
	. "开放日期间，工作人员向来访者介绍了厂区的节水、节电和废弃物回收措施。");
$ids[] = $id;

// Block editor: heading, images with captions, a gallery, a quote and a list of links.
$id = post('新建研发中心正式投入使用', 'company', 1, '2022-03-08 11:20:00', '', array('tags_input' => array('科技创新')));
list($a, $aurl) = image($id, 'lab-building', '研发中心大楼外景', '2022/03', array(120, 60, 40));
$shots = array();
foreach (array(array('lab-1', '材料实验室'), array('lab-2', '电气测试平台')) as $n => $shot) {
	$shots[] = array_merge(image($id, $shot[0], $shot[1], '2022/03', array(70, 70 + 50 * $n, 150)), array($shot[1]));
}
$content = p('3月8日，集团新建研发中心正式投入使用，总建筑面积两万三千平方米。') . figure($a, $aurl, '研发中心大楼外景')
	. "<!-- wp:heading -->\n<h2>五个专业实验室</h2>\n<!-- /wp:heading -->\n\n"
	. p('研发中心设有材料、电气、结构、软件和检测五个专业实验室，可满足新产品从设计到验证的全流程需要。')
	. "<!-- wp:gallery {\"linkTo\":\"none\"} -->\n<figure class=\"wp-block-gallery has-nested-images columns-default is-cropped\">";
foreach ($shots as $shot) { $content .= figure($shot[0], $shot[1], $shot[2]); }
$content .= "</figure>\n<!-- /wp:gallery -->\n\n"
	. "<!-- wp:quote -->\n<blockquote class=\"wp-block-quote\"><p>研发中心要成为集团创新的发动机。</p></blockquote>\n<!-- /wp:quote -->\n\n"
	. p('相关资料：')
	. "<!-- wp:list -->\n<ul><!-- wp:list-item -->\n<li><a href=\"https://www.example.org/docs/lab-guide.html\">研发中心开放共享管理办法</a></li>\n<!-- /wp:list-item -->\n\n"
	. "<!-- wp:list-item -->\n<li><a href=\"https://www.example.org/docs/booking.html\">实验设备预约流程</a></li>\n<!-- /wp:list-item --></ul>\n<!-- /wp:list -->";
set_content($id, $content);
$ids[] = $id;

// A PDF: a file block and a classic link.
$id = post('关于2023年度合格供应商名录的公示', 'notice', 2, '2023-12-27 16:00:00');
list($f, $furl) = pdf($id, 'supplier-list-2023', '2023/12');
set_content($id, p('根据供应商年度考核结果，现将2023年度合格供应商名录予以公示，公示期为五个工作日。')
	. "<!-- wp:file {\"id\":$f,\"href\":\"$furl\"} -->\n<div class=\"wp-block-file\"><a href=\"$furl\">2023年度合格供应商名录</a><a href=\"$furl\" class=\"wp-block-file__button wp-element-button\" download>下载</a></div>\n<!-- /wp:file -->\n\n"
	. p('如有异议，请在公示期内以书面形式向采购管理部反映。'));
$ids[] = $id;
$id = post('关于举办第五届职工技能大赛的通知', 'notice', 3, '2024-04-02 09:00:00');
list($f, $furl) = pdf($id, 'skills-contest-rules', '2024/04');
set_content($id, "各单位：\n\n为弘扬工匠精神，集团定于5月举办第五届职工技能大赛，现将有关事项通知如下。\n\n"
	. "请各单位于4月20日前报送参赛人员名单。竞赛规程见附件：<a href=\"$furl\">第五届职工技能大赛竞赛规程</a>");
$ids[] = $id;

// A post in three pages.
$ids[] = post('企业文化建设三十年回顾', 'news', 0, '2018-07-01 08:00:00',
	"三十年前，华景集团从一家只有四十名职工的小厂起步。创业者们提出“诚信、务实、创新”的理念，一直沿用至今。\n\n"
	. "<!--nextpage-->\n\n上世纪九十年代，公司开始建立职工书屋和文艺队，每年举办职工文化节。\n\n"
	. "<!--nextpage-->\n\n进入新时代，企业文化建设更加注重数字化传播，内部刊物和网站成为职工交流的重要平台。");

// Content that must never be published as news.
post('内部通报：2022年第三季度安全检查情况', 'company', 0, '2022-10-09 10:00:00',
	'本通报仅供内部传阅，涉及的检查数据不得对外公开。', array('post_password' => 'huajing2022'));
post('董事会会议纪要（内部）', 'company', 1, '2023-05-12 17:00:00', '本纪要为内部资料。', array('post_status' => 'private'));
post('春节慰问活动安排（未定稿）', 'notice', 2, '2024-01-20 09:00:00', '具体安排待定。', array('post_status' => 'draft'));

// Pages.
wp_insert_post(array('post_type' => 'page', 'post_status' => 'publish', 'post_title' => '关于我们', 'post_name' => 'about',
	'post_content' => '华景集团是一家以制造、物流和能源为主业的综合性企业集团，现有职工八千余人。'));
wp_insert_post(array('post_type' => 'page', 'post_status' => 'publish', 'post_title' => '联系我们', 'post_name' => 'contact',
	'post_content' => '地址：示例市华景路1号　电话：010-00000000'));

echo json_encode(array('posts' => count($ids)));
