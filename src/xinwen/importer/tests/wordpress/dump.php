<?php
// WordPress's own view of every post and page as JSON: the reference an import is compared with.
require __DIR__ . '/boot.php';

function category_path($term) {
	$names = array();
	foreach (array_reverse(get_ancestors($term->term_id, 'category')) as $id) {
		$names[] = get_term($id, 'category')->name;
	}
	$names[] = $term->name;
	return $names;
}

$out = array('home' => home_url('/'), 'posts' => array());
$all = get_posts(array('post_type' => array('post', 'page'), 'post_status' => array('publish', 'private', 'draft', 'future', 'pending'),
	'numberposts' => -1, 'orderby' => 'ID', 'order' => 'ASC'));
foreach ($all as $post) {
	$GLOBALS['post'] = $post;
	setup_postdata($post);
	global $pages;
	$rendered = array();
	foreach ($pages as $part) {
		$rendered[] = apply_filters('the_content', $part);
	}
	$categories = get_the_category($post->ID);
	usort($categories, function ($a, $b) { return $a->term_id - $b->term_id; });
	$media = array();
	foreach (get_attached_media('', $post->ID) as $attachment) {
		$media[] = array('id' => $attachment->ID, 'url' => wp_get_attachment_url($attachment->ID),
			'mime' => $attachment->post_mime_type, 'caption' => $attachment->post_excerpt);
	}
	$out['posts'][] = array(
		'id' => $post->ID,
		'type' => $post->post_type,
		'status' => $post->post_status,
		'password' => $post->post_password !== '',
		'title' => $post->post_title,  // without the "Protected: " prefix the theme adds
		'date_gmt' => $post->post_date_gmt,
		'date_local' => $post->post_date,
		'author' => get_the_author_meta('display_name', $post->post_author),
		'categories' => array_map('category_path', $categories),
		'tags' => wp_list_pluck(get_the_tags($post->ID) ?: array(), 'name'),
		'permalink' => get_permalink($post),
		'shortlink' => home_url('/?' . ($post->post_type === 'page' ? 'page_id=' : 'p=') . $post->ID),
		'pages' => $rendered,
		'media' => $media,
	);
}
echo json_encode($out, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_PRETTY_PRINT);
